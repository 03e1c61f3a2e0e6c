// drive: the one driver of a run over one client's drop, for every entry point (`run --mode full`
// and `--mode incremental`, `sync`, `sync --watch`). It finds the drop, has the Plan prepare and
// commit it, assembles the run's report once from the plan's result, and takes the client's write
// lock the way the caller asks:
// - Locking::lock_first (run): the write lock first, the state read under it, so concurrent runs
//   serialize (the second sees the first's state and becomes a no-op or continues from it); the
//   tail's groups are written while the prefix proof completes. A full run, and a run that finds
//   no store yet, read their whole drop before the lock (a missing database is created only once
//   the input was read); should a state appear meanwhile, the run prepares again from it.
// - Locking::prepare_then_fence (sync): the state is read without the lock and the heavy part
//   runs against it; then the client's write is taken, and the result committed only if the
//   state did not move (same_consumption), else the work is redone from the new state. A client
//   already at this drop is a no-op without its checkpoints even being read; a client another
//   worker holds (a server store's try_begin_write) comes back as held, nothing done. `land`
//   (fence_commit.h) says where the result is committed: by default the client's own transaction;
//   sync's group commit passes its own, and then applied means kept in a group not yet committed.
// Contract: `result` gets status applied (committed, one run-log row), noop (nothing written) or
// held, and the run's report; every failure throws snapdelta::Error with nothing written.
// result.from_day, the state's day when the run began (0: no state), is set as soon as the state
// was read, so a caller whose run then failed still knows it.
#pragma once

#include "pipeline/fence_commit.h"
#include "pipeline/lazy_store.h"
#include "pipeline/run_options.h"
#include "pipeline/run_report.h"

namespace snapdelta {

enum class Locking { lock_first, prepare_then_fence };

enum class DriveStatus { applied, noop, held };

struct DriveResult {
  DriveStatus status = DriveStatus::noop;
  RunReport report;
  int from_day = 0;
};

void drive(LazyStore& store, const RunOptions& request, Locking locking, DriveResult& result,
           const FenceCommit* land = nullptr);

}  // namespace snapdelta
