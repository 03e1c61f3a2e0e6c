#include "pipeline/pipeline.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/stopwatch.h"
#include "common/thread_placement.h"
#include "pipeline/drop_scan.h"
#include "pipeline/incremental_plan.h"
#include "source/drop_catalog.h"
#include "store/open_store.h"

namespace snapdelta {
namespace {

RunReport run_full(const RunOptions& o) {
  const auto t0 = Clock::now();
  RunReport report = begin_report(o);
  report.path = Route::full;
  const Drop drop(report.file);
  Scan scan = scan_whole_drop(drop, effective_threads(o.threads), report);

  const auto tw = Clock::now();
  const auto store = open_store(store_options(o));
  const auto write = store->begin_write(o.client);
  write->replace_rows(scan.table);
  ClientState& state = scan.state;
  state.client = o.client;
  state.day = o.day;
  state.mode = "full";
  state.groups = scan.table.size();
  write->save_state(state);
  report.rows_in_file = state.rows;
  report.rows_processed = state.rows;
  report.groups_written = scan.table.size();
  write->log_run(report.log_entry(ms_since(t0)));
  write->commit();
  report.add_phase("db_write", ms_since(tw));
  report.total_ms = ms_since(t0);
  report.add_phase("total", report.total_ms);
  return report;
}

}  // namespace

RunReport begin_report(const RunOptions& o) {
  RunReport report;
  report.mode = o.mode;
  report.client = o.client;
  report.day = o.day;
  report.file = drops::require_drop(o.data_dir, o.client, o.day);
  return report;
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
