#!/usr/bin/env bash
# Run the test suite (or the given pytest arguments) under gdb until it crashes, to get the
# native stacks of every thread at an OpenVINO segfault/abort, then the Python stacks
# (faulthandler).  A crash's log is kept in $OUT; a clean run's log is removed.
#   scripts/crash_hunt.sh [RUNS] [pytest args...]   e.g. scripts/crash_hunt.sh 3 tests/test_engine.py
set -u
RUNS=${1:-1}
shift || true
OUT=${OUT:-/tmp/ovbench-crash-hunt}
mkdir -p "$OUT"
cd "$(dirname "$0")/.."
for run in $(seq 1 "$RUNS"); do
  log="$OUT/run-$(date +%H%M%S)-$run.log"
  # The suite signals itself and its children (SIGINT, SIGHUP, SIGPIPE, SIGXFSZ...): pass
  # those through; stop only on a crash, print every thread's native stack, then let the
  # signal reach faulthandler for the Python stacks.
  PYTHONFAULTHANDLER=1 gdb -q -batch \
    -ex "set pagination off" -ex "set print thread-events off" -ex "set print inferior-events off" \
    -ex "handle all nostop noprint pass" -ex "handle SIGINT nostop noprint pass" \
    -ex "handle SIGSEGV stop print pass" -ex "handle SIGABRT stop print pass" \
    -ex "handle SIGBUS stop print pass" -ex "handle SIGFPE stop print pass" \
    -ex run -ex "info threads" -ex "thread apply all bt 40" -ex continue \
    --args .venv/bin/python -X faulthandler -m pytest -q -p no:cacheprovider "$@" >"$log" 2>&1
  if grep -q "received signal SIG\(SEGV\|ABRT\|BUS\|FPE\)" "$log"; then
    echo "run $run: CRASH, native and Python stacks in $log"
    exit 1
  fi
  echo "run $run: $(grep -E '[0-9]+ (passed|failed)' "$log" | tail -n 1)"
  grep -qE "[0-9]+ passed" "$log" && rm -f "$log"
done
