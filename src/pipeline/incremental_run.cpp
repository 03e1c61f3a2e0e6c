#include "pipeline/incremental_run.h"

#include <optional>

#include "common/stopwatch.h"
#include "pipeline/plan.h"
#include "store/open_store.h"

namespace snapdelta {

// The write lock first, so concurrent runs serialize: the state is read under it, and the tail's
// groups are written while the prefix proof completes.
RunReport run_incremental(const RunOptions& o) {
  const auto t0 = Clock::now();
  RunReport report = RunReport::for_run(o);
  const Drop drop(report.file);
  Plan plan(o, drop, report, t0);
  const StoreOptions where = store_options(o);
  // No database yet: read the whole file before creating one, so bad input leaves no file behind.
  const RunReport fresh = report;
  TailWriter no_overlap(nullptr);
  std::optional<Prepared> early;
  if (!store_exists(where)) early = plan.prepare(std::nullopt, no_overlap);

  const auto t = Clock::now();
  const auto store = open_store(where);
  const auto write = store->begin_write(o.client);
  const std::optional<ClientState> old = write->load_state();
  if (early && old) report = fresh;  // another run created the state meanwhile: start from it
  report.add_phase("state_read", ms_since(t));
  TailWriter writer(write.get());
  Prepared p = early && !old ? std::move(*early) : plan.prepare(old, writer);
  if (p.route != Route::noop) plan.commit(*write, p, writer);
  report.finish(t0);
  return report;  // a no-op's write is not committed: it rolls back, nothing changed
}

}  // namespace snapdelta
