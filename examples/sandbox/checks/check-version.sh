#!/bin/sh
# Verify step of the sandbox example: the trial upgrade left version 2026.1
# and the customised pages in place.
set -eu
dir="$1"
v=$(cat "$dir/version.txt")
echo "installed version: $v"
[ "$v" = "2026.1" ] || { echo "expected 2026.1" >&2; exit 1; }
[ -f "$dir/WWWRoot/CustomPages/CompanySummary.asp" ] || { echo "CustomPages/CompanySummary.asp is missing" >&2; exit 1; }
echo "CustomPages present"
