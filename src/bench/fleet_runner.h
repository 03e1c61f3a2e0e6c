// FleetRunner: executes the fleet part of a BenchPlan (`snapdelta bench --fleet`).
// Order: (1) `generate` into the fleet's data dir (a no-op when its drops are there with the same
// options); (2) once, unmeasured: the day-9 database (`sync --through-day 9`) and a database with
// every client at day 10 (that copy, synced); (3) `repeat` samples; in each, every case runs once
// as its own child process, in alternating order (forward in even samples, backward in odd ones):
// process start (`--version`, a sync of an empty fleet), then full, incremental and no-op syncs at
// --jobs 1 --threads 1 and at --jobs <cores>; full into a fresh database, incremental on a fresh
// copy of the day-9 database, no-op on the day-10 one. After each sample every client of each
// result is compared row by row with the full sync at --jobs <cores> of that sample; (4) with a
// PostgreSQL server: 1, 2 and 4 concurrent `sync --mode full --jobs 1 --threads 1` worker
// processes over the fleet into a fresh database (min(repeat, 3) alternating samples each), every
// client compared with the SQLite full sync, and the per-client phases.
// Contract: scratch databases are BenchDb locations, gone when the bench ends; a failing child
// throws Error carrying its own one-line message.
#pragma once

#include "bench/bench_db.h"
#include "bench/bench_plan.h"
#include "bench/fleet_results.h"

namespace snapdelta::bench {

FleetResults run_fleet(const BenchPlan& plan, const ScratchDir& scratch, BenchDb& db);

}  // namespace snapdelta::bench
