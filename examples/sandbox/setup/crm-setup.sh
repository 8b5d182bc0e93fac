#!/bin/sh
# Stand-in for the vendor setup in the sandbox example: upgrades the
# installation folder given in DRESS_INSTALL_DIR to version 2026.1.
set -eu
dir="${DRESS_INSTALL_DIR:?DRESS_INSTALL_DIR is not set}"
echo "Sage CRM setup (sandbox) - upgrading $DRESS_INSTALLATION in $dir"
[ -f "$dir/version.txt" ] || { echo "no installation found in $dir" >&2; exit 2; }
echo "found version $(cat "$dir/version.txt")"
for part in "program files" "web site" "tomcat" "database scripts" "CustomPages (kept)"; do
    echo "upgrading $part..."
    sleep 0.2
done
echo "warning: the interactive dashboard needs Tomcat to be fully started" >&2
printf '2026.1\n' > "$dir/version.txt"
echo "upgrade finished: version 2026.1"
