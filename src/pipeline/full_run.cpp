#include "pipeline/full_run.h"

#include "common/stopwatch.h"
#include "pipeline/plan.h"
#include "store/open_store.h"

namespace snapdelta {

// Read and aggregate the whole drop, then replace the client's rows in one transaction.
RunReport run_full(const RunOptions& o) {
  const auto t0 = Clock::now();
  RunReport report = RunReport::for_run(o);
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

}  // namespace snapdelta
