#!/usr/bin/env bash
# Soak: the SIGKILL crash test (tests/hub_crash.rs) for many rounds in a row on one database, each round
# killing the hub mid-burst of issuing and calling, restarting it and checking every acknowledged ticket.
# Usage: benches/soak.sh [ROUNDS]   (default 50). Prints the elapsed time; any failed round stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-50}"
start=$(date +%s)
MOTCUA_CRASH_ROUNDS="$rounds" cargo test -q --test hub_crash -- --nocapture 2>&1 | grep -E "crash round|test result|panicked|FAILED"
echo "soak: $rounds rounds passed in $(( $(date +%s) - start )) s"
