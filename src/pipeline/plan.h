// Plan: what a run does for one client's drop, in two steps, so the heavy part can run with or
// without the client's write lock.
// - prepare(basis) reads, inflates, parses and aggregates against `basis`, the client's state as
//   read before (with the lock, as `run` does, or without it, as `sync` does). Full mode scans the
//   whole drop. Incremental mode: no state or an empty one scans the whole drop (first-run); the
//   same drop already applied is a no-op; otherwise the tail after the state's bytes is proven and
//   parsed (SpeculativeTail), and a changed history is rebuilt from the whole drop
//   (verified_rebuild) or, with HistoryPolicy::fail, refused with an Error naming the change.
//   A TailWriter with a write lets the tail's groups be written while the prefix proof completes.
// - commit(write, prepared) writes the result through the client's ClientWrite (whose state must
//   still be prepared.basis: the caller checks that under the lock), saves the new state, logs
//   the run and commits, all in one transaction.
// Contract: a state after the requested day is an Error; errors leave nothing written.
#pragma once

#include <optional>

#include "common/stopwatch.h"
#include "pipeline/drop_scan.h"
#include "pipeline/run_options.h"
#include "pipeline/run_report.h"
#include "pipeline/tail_writer.h"
#include "source/drop.h"
#include "store/client_state.h"
#include "store/store.h"

namespace snapdelta {

struct Prepared {
  Route route = Route::full;  // noop: nothing to commit
  // Groups to add (checkpoint, inflate-all) or to replace the client's rows with (full,
  // first-run, rebuilt), and the state after them.
  Scan scan;
  std::optional<ClientState> basis;  // the state it was computed against
};

// Whether `old` is already through `day` with exactly this drop consumed.
bool already_applied(int day, const std::optional<ClientState>& old, const ZipEntry& entry);

class Plan {
 public:
  Plan(const RunOptions& options, const Drop& drop, RunReport& report, Clock::time_point t0);

  Prepared prepare(const std::optional<ClientState>& basis, TailWriter& writer);
  void commit(ClientWrite& write, Prepared& prepared, const TailWriter& writer);

 private:
  bool replaces(const Prepared& p) const;
  void prepare_incremental(Prepared& p, TailWriter& writer);
  bool tail_applies(const ClientState& old, TailWriter& writer, Scan& delta);
  void keep_state_read_phase();

  const RunOptions& o_;
  const Drop& drop_;
  RunReport& report_;
  Clock::time_point t0_;  // when the run began
  int threads_;
};

}  // namespace snapdelta
