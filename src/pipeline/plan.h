// Plan: what a run does for one client's drop, in two steps, so the heavy part can run with or
// without the client's write lock (the driver, run_driver.h, decides).
// - prepare(basis) reads, inflates, parses and aggregates against `basis`, the client's state as
//   read before, and returns the result as a value. Full mode scans the whole drop. Incremental
//   mode: no state or an empty one scans the whole drop (first-run); the same drop already
//   applied is a no-op; a gzip, zstd or csv drop takes Plan::stream_tail; otherwise the fallback
//   chain (Plan::tail) proves the consumed prefix and parses only the tail, and a changed history
//   is rebuilt from the whole drop (verified_rebuild) or, with HistoryPolicy::fail, refused with an
//   Error naming the change; a drop shorter than the consumed bytes, in any container, says so
//   (history_shrank.h). A TailWriter with a write lets the tail's groups be written while the
//   prefix proof completes.
// - commit(write, prepared) writes the result through the client's ClientWrite (whose state must
//   still be prepared.basis: the driver checks that under the lock), saves the new state, logs
//   the run and commits, all in one transaction; it returns the time it took.
// Contract: a state after the requested day is an Error; errors leave nothing written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/stopwatch.h"
#include "pipeline/drop_scan.h"
#include "pipeline/phase.h"
#include "pipeline/route.h"
#include "pipeline/run_options.h"
#include "pipeline/tail_writer.h"
#include "source/drop.h"
#include "store/client_state.h"
#include "store/run_log.h"
#include "store/store.h"

namespace snapdelta {

struct Prepared {
  Route route = Route::full;  // noop: nothing to commit
  // Groups to add (checkpoint, inflate-all) or to replace the client's rows with (full,
  // first-run, rebuilt), the state after them and the checkpoints captured on the way.
  Scan scan;
  std::optional<ClientState> basis;  // the state it was computed against
  std::string rebuilt;               // rebuilt: what changed
  Phases phases;
  uint64_t rows_processed = 0;
  uint64_t bytes_inflated = 0;
};

// Whether `old` is already through `day` with exactly this drop consumed, told without reading it
// (a zip's central directory); false for the other containers, whose plan proves it by reading.
bool already_applied(int day, const std::optional<ClientState>& old, const Drop& drop);

class Plan {
 public:
  Plan(const RunOptions& options, const Drop& drop);

  Prepared prepare(const std::optional<ClientState>& basis, TailWriter& writer) const;
  // `log` is the run's log row; its total_ms is set to the time since `t0` when it is written.
  double commit(ClientWrite& write, Prepared& prepared, const TailWriter& writer, RunLogEntry log,
                Clock::time_point t0) const;

 private:
  Prepared tail(const ClientState& old, TailWriter& writer) const;
  Prepared stream_tail(const ClientState& old, TailWriter& writer) const;
  std::optional<Prepared> one_member_tail(const ClientState& old, TailWriter& writer) const;
  ScanResult resume_stream(const ClientState& old, TailWriter& writer) const;
  Prepared rebuild(const ClientState& old) const;
  Prepared rebuild_whole(const ClientState& old, const std::string& changed) const;
  bool nothing_new(Route route, const ClientState& after, const ClientState& old) const;
  Prepared whole(Route route) const;

  const RunOptions& o_;
  const Drop& drop_;
  int threads_;
};

}  // namespace snapdelta
