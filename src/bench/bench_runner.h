// BenchRunner: executes a BenchPlan and returns what it measured. Every pipeline run is its own
// child process, `<exe> run --mode M --client C --day D --data-dir DIR --db PATH --json`, so its
// wall time, CPU time and peak RSS are its own.
// Order: (0) --quick data generation when planned; (1) the process floor: `<exe> --version`;
// (2) day by day, d = 1..K: full(d) into a fresh database, incremental(d) on a fresh copy of the
// state after day d-1 (empty for day 1), the two compared row by row; the incremental result is the
// state after day d, which seeds day d+1 and, with --db-cache, is kept for the next bench run;
// (3) `repeat` pairs on day K — full into a fresh database, incremental on a fresh copy of day
// K-1's state — in alternating order, every pair compared; (4) peers, when requested and available.
// Contract: all scratch databases live in a ScratchDir under --out and are gone when run_bench()
// returns or throws; a failing child throws Error carrying the child's own one-line message.
#pragma once

#include "bench/bench_plan.h"
#include "bench/bench_results.h"

namespace snapdelta::bench {

BenchResults run_bench(const BenchPlan& plan);

}  // namespace snapdelta::bench
