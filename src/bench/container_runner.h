// ContainerRunner: executes the containers part of a BenchPlan (`snapdelta bench --container`).
// Order: (1) for each container, `generate --container C --from-day K-1` into
// <scratch>/containers/<C> (days K-1 and K of client_1); (2) once per container, unmeasured: day
// K-1's state, an incremental run of day K-1 on an empty database; (3) `repeat` samples: in each,
// every container (forward in even samples, backward in odd ones) runs one pair of day K — full
// into a fresh database and incremental on a fresh copy of day K-1's state, full first in even
// samples — each `run --json --pattern <the container's>` a child process of its own, and the
// two databases compared row by row.
// Contract: the data and databases live in the bench's scratch directory and are gone when the
// bench ends; a failing child throws Error carrying its own one-line message.
#pragma once

#include "bench/bench_db.h"
#include "bench/bench_plan.h"
#include "bench/container_results.h"

namespace snapdelta::bench {

ContainerResults run_containers(const BenchPlan& plan, const ScratchDir& scratch, BenchDb& db);

}  // namespace snapdelta::bench
