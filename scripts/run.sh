#!/usr/bin/env bash
# The main job: install what is missing, build Release, generate the default data if missing,
# run the benchmark (with the Polars/DuckDB peers when node is present) and write results.md.
# Extra arguments are passed to `snapdelta bench` (e.g. --quick, --repeat 3).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSNAPDELTA_TESTS=OFF >/dev/null
cmake --build build
if [ ! -f data/client_1/transactions_day_10.zip ] || [ ! -f data/client_2/transactions_day_10.zip ]; then
  ./build/snapdelta generate --data-dir data
fi
./build/snapdelta bench --data-dir data --client client_1 --day 10 --out . --peers "$@"
