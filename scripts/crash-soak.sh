#!/usr/bin/env bash
# Long crash-safety soak: SIGKILLs full and incremental runs at random moments (KILLS of them,
# default 200) and reruns them, checking after every kill that the database is intact and holds
# the old or the new state, and after every rerun that the table equals a clean full run's
# (tests/crash_test.cpp); then runs the randomized concurrency trials (TRIALS per scenario,
# default 50; tests/concurrency_test.cpp).
#
# Usage: scripts/crash-soak.sh [KILLS] [TRIALS]
# Environment: SNAPDELTA_BUILD (build dir, default build-rel), SNAPDELTA_JOBS (default 2),
#              SNAPDELTA_SEED (replay a sequence printed by an earlier soak).
set -euo pipefail
cd "$(dirname "$0")/.."

kills="${1:-200}"
trials="${2:-50}"
build="${SNAPDELTA_BUILD:-build-rel}"
jobs="${SNAPDELTA_JOBS:-2}"

[ -f "$build/build.ninja" ] || cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$jobs" --target snapdelta snapdelta_tests

export SNAPDELTA_LONG=1 SNAPDELTA_CRASH_KILLS="$kills" SNAPDELTA_CONCURRENCY_TRIALS="$trials"
soak='CrashTest.*'
soak+=':ConcurrencyTest.TwoIncrementalRunsOfTheSameDayApplyItOnce'
soak+=':ConcurrencyTest.IncrementalRunsOfConsecutiveDaysEndAtTheLaterDay'
soak+=':ConcurrencyTest.FullAndIncrementalRunsOfTheSameDayAgree'
soak+=':ConcurrencyTest.DifferentClientsOnOneDatabaseAreBothCorrect'
exec "$build/snapdelta_tests" --gtest_filter="$soak"
