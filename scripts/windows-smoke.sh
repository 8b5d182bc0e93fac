#!/usr/bin/env bash
# Smoke test of the Windows build: cross-compiles dress.exe, then, when Wine
# runs here, drives it in a fresh, throw-away Wine prefix: --help, plan
# validate, the Windows example's rehearsal (paths with spaces and "(x86)",
# .cmd setup and checks, reg export, OEM-encoded output), the same run in
# the background engine (--detach), and reports.
#
#   scripts/windows-smoke.sh            # debug build (quicker)
#   scripts/windows-smoke.sh --release  # the build that is shipped
#
# Needs: the rustup target x86_64-pc-windows-gnu, gcc-mingw-w64-x86-64, and
# wine (Debian: wine64). Not part of .ci/run: it takes minutes.
# Prints what ran and what could not; exits 1 when a step failed, 0 when
# everything that could run passed.
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

PROFILE=debug
CARGO_PROFILE=()
if [ "${1:-}" = "--release" ]; then
    PROFILE=release
    CARGO_PROFILE=(--release)
fi
TARGET=x86_64-pc-windows-gnu
EXE="$REPO/target/$TARGET/$PROFILE/dress.exe"

declare -a REPORT=()
FAILED=0
pass() { REPORT+=("PASS     $1"); echo "  -> PASS: $1"; }
fail() { REPORT+=("FAIL     $1"); echo "  -> FAIL: $1"; FAILED=1; }
skip() { REPORT+=("NOT RUN  $1"); echo "  -> NOT RUN: $1"; }
note() { REPORT+=("NOTE     $1"); echo "  -> NOTE: $1"; }
finish() {
    echo
    echo "== summary =="
    printf '%s\n' "${REPORT[@]}"
    if [ -n "${WORK:-}" ] && [ -z "${KEEP:-}" ]; then
        wineserver -k >/dev/null 2>&1 || true
        rm -rf "$WORK"
    elif [ -n "${WORK:-}" ]; then
        echo "kept: $WORK (WINEPREFIX=$WINEPREFIX)"
    fi
    exit "$FAILED"
}

# Run a command, show it and its output, keep the output in $OUT and the
# exit code in $RC.
run() {
    echo
    echo "\$ $*"
    OUT=$("$@" 2>&1)
    RC=$?
    printf '%s\n' "$OUT" | tr -d '\r' | sed 's/^/    /'
    echo "    [exit code $RC]"
    OUT=$(printf '%s' "$OUT" | tr -d '\r')
}

echo "== build =="
if ! rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
    skip "build: rustup target $TARGET is not installed (rustup target add $TARGET)"
    finish
fi
if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
    skip "build: x86_64-w64-mingw32-gcc missing (apt-get install gcc-mingw-w64-x86-64)"
    finish
fi
run cargo build "${CARGO_PROFILE[@]}" --target "$TARGET" --locked
if [ $RC -ne 0 ] || [ ! -f "$EXE" ]; then
    fail "cargo build ${CARGO_PROFILE[*]} --target $TARGET"
    finish
fi
pass "cargo build ${CARGO_PROFILE[*]} --target $TARGET ($(du -h "$EXE" | cut -f1) $PROFILE dress.exe)"

echo
echo "== wine =="
if ! command -v wine >/dev/null; then
    skip "everything under Wine: wine is not installed (apt-get install wine64)"
    finish
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dress-smoke.XXXXXX")
export WINEPREFIX="$WORK/prefix"
export WINEDEBUG=-all
# The state folder is the default one, %ProgramData%\dress of the prefix.
unset DRESS_STATE_DIR DISPLAY WAYLAND_DISPLAY
C="$WINEPREFIX/drive_c"
run wine --version
# Console programs need no display: wineboot only warns that it cannot
# open windows.
run timeout 600 wine wineboot -i
if [ $RC -ne 0 ] || [ ! -d "$C/windows/system32" ]; then
    skip "everything under Wine: the prefix could not be created (wineboot -i exit $RC)"
    finish
fi
pass "fresh Wine prefix $WINEPREFIX"

# Rust's standard library takes its random numbers from ProcessPrng in
# bcryptprimitives.dll (Windows 10 and later). Wine 8 has no such DLL, so
# every Rust program stops at load with "bcryptprimitives.dll not found"
# (exit 53). A stand-in built from the system's RtlGenRandom goes into the
# throw-away prefix only; Windows itself has the DLL.
if [ ! -f "$C/windows/system32/bcryptprimitives.dll" ]; then
    cat >"$WORK/bcryptprimitives.c" <<'EOF'
#include <windows.h>
#include <ntsecapi.h>
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, n)) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
EOF
    run x86_64-w64-mingw32-gcc -O2 -shared -o "$C/windows/system32/bcryptprimitives.dll" \
        "$WORK/bcryptprimitives.c" -ladvapi32
    if [ $RC -ne 0 ]; then
        fail "building the bcryptprimitives.dll stand-in for Wine"
        finish
    fi
    note "this Wine has no bcryptprimitives.dll (ProcessPrng); a stand-in was put in the prefix"
fi

# A small reader of a folder's access rights (icacls and cacls are empty
# stubs in Wine).
cat >"$WORK/sddl.c" <<'EOF'
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>
int wmain(int argc, wchar_t **argv) {
    PSECURITY_DESCRIPTOR sd = NULL;
    LPWSTR s = NULL;
    if (argc < 2) return 2;
    DWORD r = GetNamedSecurityInfoW(argv[1], SE_FILE_OBJECT, DACL_SECURITY_INFORMATION,
                                    NULL, NULL, NULL, NULL, &sd);
    if (r) { printf("GetNamedSecurityInfoW failed: %lu\n", r); return 1; }
    if (!ConvertSecurityDescriptorToStringSecurityDescriptorW(sd, SDDL_REVISION_1,
            DACL_SECURITY_INFORMATION, &s, NULL)) { printf("conversion failed\n"); return 1; }
    printf("%ls\n", s);
    return 0;
}
EOF
x86_64-w64-mingw32-gcc -municode -o "$WORK/sddl.exe" "$WORK/sddl.c" -ladvapi32 >/dev/null 2>&1 ||
    rm -f "$WORK/sddl.exe"

echo
echo "== dress.exe =="
run timeout 120 wine "$EXE" --help
if [ $RC -eq 0 ] && grep -q "Usage: dress.exe" <<<"$OUT"; then
    pass "dress.exe --help"
else
    fail "dress.exe --help (exit $RC)"
    finish
fi

run timeout 120 wine "$EXE" plan validate 'examples\windows.toml'
if [ $RC -eq 0 ] && grep -q "the plan is valid" <<<"$OUT"; then
    pass "dress.exe plan validate examples\\windows.toml"
else
    fail "dress.exe plan validate examples\\windows.toml (exit $RC)"
fi

STATE="$C/ProgramData/dress"
if [ -d "$STATE" ]; then
    if [ -x "$WORK/sddl.exe" ]; then
        run timeout 60 wine "$WORK/sddl.exe" 'C:\ProgramData\dress'
        if grep -q '^D:P.*(A;OICI;FA;;;BA)' <<<"$OUT" && grep -q '(A;OICI;FA;;;SY)' <<<"$OUT"; then
            pass "C:\\ProgramData\\dress created with access for Administrators and SYSTEM only"
        else
            note "C:\\ProgramData\\dress access rights read back as '$OUT': this Wine accepts SetNamedSecurityInfoW (no error) but keeps its own DACL, so the restriction is checked on Windows only"
        fi
    else
        skip "reading the access rights of C:\\ProgramData\\dress (the reader did not build)"
    fi
else
    fail "the state folder C:\\ProgramData\\dress was not created"
fi

# The Windows example, copied under a folder with spaces and "(x86)".
PLANS="$C/Example Plans (x86)"
mkdir -p "$PLANS"
cp -r examples/windows.toml examples/windows "$PLANS/"
cd "$PLANS" || finish
# The key the backup exports with `reg export`.
run timeout 60 wine reg add 'HKLM\SOFTWARE\WOW6432Node\eWare\Config' /v InstallName /d CRMWIN /f

run timeout 600 wine "$EXE" run windows.toml --stage rehearsal --yes \
    --confirm 'sign-off=pages checked' --verbose
RUN_OUT=$OUT
if [ $RC -eq 0 ] && grep -q "run passed" <<<"$RUN_OUT"; then
    pass "dress.exe run windows.toml --stage rehearsal (exit 0, run passed)"
else
    fail "dress.exe run windows.toml --stage rehearsal (exit $RC)"
fi
TEST_DIR="$PLANS/windows/work/Test Env (x86)/Sage/CRM/CRMWIN"
if [ "$(tr -d '\r\n ' <"$TEST_DIR/version.txt" 2>/dev/null)" = "2026.1" ] &&
    [ -f "$TEST_DIR/WWWRoot/CustomPages/Reports/Pipeline (x86).asp" ]; then
    pass "test copy under 'Test Env (x86)' upgraded to 2026.1, CustomPages kept"
else
    fail "test copy under 'Test Env (x86)' not upgraded as expected"
fi
if grep -q "Mise à jour terminée" <<<"$RUN_OUT"; then
    pass "setup output in the OEM code page decoded (Mise à jour terminée)"
else
    fail "setup output in the OEM code page not decoded to 'Mise à jour terminée'"
fi
# Backups are named by the run that took them: CRMWIN-RUN_ID-registry.reg.
REG=$(ls "$PLANS/windows/work/Backups (x86)/"CRMWIN-*-registry.reg 2>/dev/null | head -n1)
if [ -f "$REG" ] && iconv -f UTF-16 -t UTF-8 <"$REG" 2>/dev/null | tr -d '\r' |
    grep -q '"InstallName"="CRMWIN"'; then
    pass "reg export HKLM\\SOFTWARE\\WOW6432Node\\eWare FILE /y wrote the key"
else
    fail "reg export did not write $REG with the eWare key"
fi
RUN_ID=$(sed -n 's/.*  run \([0-9-]*-test-[0-9a-f]*\) on test.*/\1/p' <<<"$RUN_OUT" | head -n1)
if [ -n "$RUN_ID" ]; then
    run timeout 120 wine "$EXE" report "$RUN_ID"
    if [ $RC -eq 0 ] && grep -q "trial-upgrade" <<<"$OUT"; then
        pass "dress.exe report $RUN_ID"
    else
        fail "dress.exe report $RUN_ID (exit $RC)"
    fi
    LOG="$STATE/runs/$RUN_ID/logs/trial-upgrade/setup.log"
    if grep -q "Mise à jour terminée" "$LOG" 2>/dev/null; then
        pass "step log logs\\trial-upgrade\\setup.log holds the decoded line"
    else
        fail "step log $LOG lacks the decoded line"
    fi
fi

# The same rehearsal in the background engine, on a fresh copy.
rm -rf "$PLANS/windows/work"
run timeout 120 wine "$EXE" run windows.toml --stage rehearsal --yes \
    --confirm 'sign-off=pages checked' --detach
BG_ID=$(sed -n 's/^run \([^ ]*\) goes on in the background.*/\1/p' <<<"$OUT")
if [ $RC -ne 0 ] || [ -z "$BG_ID" ]; then
    fail "dress.exe run --detach (exit $RC)"
else
    state=""
    for _ in $(seq 1 60); do
        sleep 2
        state=$(timeout 60 wine "$EXE" runs 2>/dev/null | tr -d '\r' |
            awk -v id="$BG_ID" '$1 == id { print $2 }')
        case "$state" in passed | failed | aborted | waiting | interrupted) break ;; esac
    done
    run timeout 60 wine "$EXE" runs
    if [ "$state" = "passed" ]; then
        pass "dress.exe run --detach: run $BG_ID passed in the background engine"
    else
        fail "dress.exe run --detach: run $BG_ID ended as '${state:-unknown}'"
    fi
    if grep -q "forbids breaking away" "$STATE/dress.log" 2>/dev/null; then
        note "the engine could not leave the session's job (CREATE_BREAKAWAY_FROM_JOB refused)"
    fi
fi

# A step that outlives its timeout: the program (cmd.exe) and the child it
# started (ping.exe) are in the step's job object and must both be gone.
rm -rf "$PLANS/windows/work"
printf '@echo off\r\necho waiting for a minute\r\nping -n 60 127.0.0.1 >nul\r\n' \
    >"$PLANS/windows/checks/hang.cmd"
cat windows.toml - >hang.toml <<'EOF'

[[recipe.steps]]
id = "hang"
title = "A program that outlives its timeout"
after = "backup/disk"
kind = "exec"
required = true
program = 'windows\checks\hang.cmd'
timeout_s = 3
EOF
# Wine's processes are Linux processes: ping.exe of this prefix is looked
# for in /proc (Wine's tasklist prints nothing).
pings() {
    local n=0 p
    for p in /proc/[0-9]*; do
        # Wine shows the command line as typed: `ping -n 60 127.0.0.1`.
        tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qiE '(^|[\\/ ])ping(\.exe)? -n 60 ' || continue
        tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -qx "WINEPREFIX=$WINEPREFIX" || continue
        n=$((n + 1))
    done
    echo "$n"
}
echo
echo "\$ wine $EXE run hang.toml --stage backup --yes --verbose   (in the background)"
timeout 120 wine "$EXE" run hang.toml --stage backup --yes --verbose >"$WORK/hang.out" 2>&1 &
HANG_PID=$!
sleep 2
DURING=$(pings)
wait "$HANG_PID"
RC=$?
OUT=$(tr -d '\r' <"$WORK/hang.out")
printf '%s\n' "$OUT" | sed 's/^/    /'
echo "    [exit code $RC]"
sleep 1
AFTER=$(pings)
echo "    ping.exe processes of this prefix: $DURING while the step ran, $AFTER after"
if [ $RC -eq 1 ] && grep -q "timed out after 3 s" <<<"$OUT"; then
    pass "a step past its timeout fails with exit code 1 ('timed out after 3 s')"
else
    fail "the step past its timeout (exit $RC, expected 1 and 'timed out after 3 s')"
fi
if [ "$DURING" -eq 0 ]; then
    skip "checking that the job object stopped ping.exe: it was not seen while the step ran"
elif [ "$AFTER" -eq 0 ]; then
    pass "ping.exe, started by the timed-out step's cmd.exe, was stopped with the job object"
else
    fail "ping.exe, started by the timed-out step, still runs: the job object did not stop it"
fi
cd "$REPO" || true

# Interactive commands need a Windows console; none exists here.
skip "dress.exe (full-screen interface) and dress.exe attach: they need a console (conhost), which a headless Wine does not give"
finish
