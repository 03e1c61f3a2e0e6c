#!/usr/bin/env bash
# Checks the layer order of #include lines, then builds and runs the whole GoogleTest suite under
# ctest. At the end it lists every skipped test by name with its reason, and fails when a test
# skipped that tests/allowed-skips.txt does not name (ctest itself counts a skip as a pass).
#   scripts/test.sh             Release build in build-test/ (warnings are errors)
#   scripts/test.sh --sanitize  the same suite under AddressSanitizer + UndefinedBehaviorSanitizer
# The PostgreSQL tests need a server: unless SNAPDELTA_TEST_PG already names one (a URI whose
# role may create databases), a throw-away one is started (scripts/pg-server.sh) and stopped on
# exit. If it cannot start, the run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD"  # ccache: reuse objects across build folders and checkouts
bash scripts/install-deps.sh
bash scripts/check-layers.sh  # #include lines follow the README's layer order
dir=build-test
flags=(-DCMAKE_BUILD_TYPE=Release -DSNAPDELTA_WERROR=ON)
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  flags=(-DCMAKE_BUILD_TYPE=Debug -DSNAPDELTA_WERROR=ON -DSNAPDELTA_SANITIZE=ON)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
if [ -z "${SNAPDELTA_TEST_PG:-}" ]; then
  pgdir=$(mktemp -d /tmp/snapdelta-pg.XXXXXX)
  trap 'bash scripts/pg-server.sh stop "$pgdir"' EXIT
  if ! SNAPDELTA_TEST_PG=$(bash scripts/pg-server.sh start "$pgdir"); then
    echo "test.sh: expected a PostgreSQL server for the tests, found none could start (see above)" >&2
    exit 1
  fi
  export SNAPDELTA_TEST_PG
fi
cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
cmake --build "$dir"
junit="$PWD/$dir/ctest-junit.xml"
rm -f "$junit"
status=0
ctest --test-dir "$dir" --output-on-failure -j2 --output-junit "$junit" || status=$?
python3 scripts/check-skips.py "$junit" tests/allowed-skips.txt || status=1
exit "$status"
