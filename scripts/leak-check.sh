#!/usr/bin/env bash
# Runs `snapdelta` under valgrind memcheck on small generated data: generate, full and incremental
# runs along every plan (first run, checkpoint resume, no-op, a later day, restated history), verify,
# status, and runs that fail (missing drop, a day before the stored one, a corrupt drop, a held
# lock). Any leak (definite, indirect or possible) or memory error fails the script.
#
# Usage: scripts/leak-check.sh
# Environment: SNAPDELTA_BUILD (build dir, default build-rel; RelWithDebInfo, no sanitizers),
#              SNAPDELTA_JOBS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

build="${SNAPDELTA_BUILD:-build-rel}"
jobs="${SNAPDELTA_JOBS:-2}"
[ -f "$build/build.ninja" ] || cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$jobs" --target snapdelta
bin="$(pwd)/$build/snapdelta"

work="$(mktemp -d /tmp/snapdelta-leak-XXXXXX)"
trap 'rm -rf "$work"' EXIT
data="$work/data"
db="$work/leak.db"

checked=0
failures=0
# vg EXPECTED_EXIT ARGS...: runs snapdelta under memcheck; memcheck's own failure is exit 99.
vg() {
  local expect="$1"
  shift
  local log="$work/vg-$checked.log"
  set +e
  valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 --track-origins=yes \
    --log-file="$log" "$bin" "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  set -e
  checked=$((checked + 1))
  local leaks
  leaks=$(grep -E 'in use at exit|All heap blocks were freed|definitely lost|indirectly lost|possibly lost|ERROR SUMMARY' "$log" | sed 's/^==[0-9]*== *//' | tr '\n' ';')
  if [ "$rc" -ne "$expect" ]; then
    failures=$((failures + 1))
    echo "FAIL (exit $rc, expected $expect): snapdelta $*"
    cat "$work/err"
    grep -v '^==[0-9]*== *$' "$log" | head -60
  else
    echo "ok   (exit $rc) snapdelta $*"
    echo "     $leaks"
  fi
}

vg 0 generate --data-dir "$data" --clients 2 --days 3 --base-rows 20000 --rows-per-day 5000 --skus 500 \
  --late-fraction 0.1 --threads 2
run=(run --data-dir "$data" --db "$db")
vg 0 "${run[@]}" --mode full --client client_1 --day 1
vg 0 "${run[@]}" --mode incremental --client client_2 --day 1
vg 0 "${run[@]}" --mode incremental --client client_2 --day 2
vg 0 "${run[@]}" --mode incremental --client client_2 --day 2
vg 0 "${run[@]}" --mode incremental --client client_2 --day 3 --json
vg 0 "${run[@]}" --mode full --client client_1 --day 3
vg 0 "${run[@]}" --mode incremental --client client_1 --day 3
vg 0 verify --client client_2 --data-dir "$data" --db "$db"
vg 0 status --db "$db"
# restated history: client_mix's day 2 is not an extension of its day 1
mkdir -p "$data/client_mix"
cp "$data/client_1/transactions_day_1.zip" "$data/client_mix/transactions_day_1.zip"
cp "$data/client_2/transactions_day_2.zip" "$data/client_mix/transactions_day_2.zip"
vg 0 "${run[@]}" --mode incremental --client client_mix --day 1
vg 0 "${run[@]}" --mode incremental --client client_mix --day 2
# failing runs: errors must unwind without leaking either
vg 2 "${run[@]}" --mode incremental --client client_1 --day 7
vg 2 "${run[@]}" --mode incremental --client client_2 --day 1
head -c 5000 "$data/client_1/transactions_day_2.zip" >"$data/client_mix/transactions_day_3.zip"
vg 2 "${run[@]}" --mode full --client client_mix --day 3
vg 2 "${run[@]}" --mode incremental --client client_mix --day 3
vg 2 run --data-dir "$data" --db "$work/no/such/dir.db" --mode full --client client_1 --day 1
python3 - "$db" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
time.sleep(20)
PY
holder=$!
sleep 1
vg 2 "${run[@]}" --mode incremental --client client_1 --day 3 --busy-timeout-ms 100
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true

echo "valgrind: $checked runs checked, $failures failed"
[ "$failures" -eq 0 ]
