#include "pipeline/pipeline.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/stopwatch.h"
#include "pipeline/plan.h"
#include "source/drop_catalog.h"
#include "store/open_store.h"

namespace snapdelta {
namespace {

// Read and aggregate the whole drop, then replace the client's rows in one transaction.
RunReport run_full(const RunOptions& o) {
  const auto t0 = Clock::now();
  RunReport report = begin_report(o);
  const Drop drop(report.file);
  Plan plan(o, drop, report, t0);
  TailWriter no_overlap(nullptr);
  Prepared p = plan.prepare(std::nullopt, no_overlap);
  const auto t = Clock::now();
  const auto store = open_store(store_options(o));
  const auto write = store->begin_write(o.client);
  report.add_phase("db_write", ms_since(t));
  plan.commit(*write, p, no_overlap);
  report.finish(t0);
  return report;
}

// The write lock first, so concurrent runs serialize: the state is read under it, and the tail's
// groups are written while the prefix proof completes.
RunReport run_incremental(const RunOptions& o) {
  const auto t0 = Clock::now();
  RunReport report = begin_report(o);
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

}  // namespace

RunReport begin_report(const RunOptions& o) {
  return RunReport::begin(o, drops::require_drop(o.data_dir, o.client, o.day));
}

StoreOptions store_options(const RunOptions& o) {
  return StoreOptions{o.db_path, StoreOpen::create_if_missing, o.busy_timeout_ms};
}

RunReport run_pipeline(const RunOptions& o) {
  if (o.client.empty()) throw Error("run: expected a client name, found an empty one");
  if (o.day < 1) throw Error(fmt::format("run: expected a day >= 1, found {}", o.day));
  return o.mode == RunMode::full ? run_full(o) : run_incremental(o);
}

}  // namespace snapdelta
