#include "pipeline/pipeline.h"

#include <fmt/format.h>

#include <chrono>

#include "common/error.h"
#include "common/stopwatch.h"
#include "pipeline/db_session.h"
#include "pipeline/full_scan.h"
#include "pipeline/incremental_plan.h"
#include "source/drop_catalog.h"

namespace snapdelta {
namespace {

RunReport run_full(const RunOptions& o) {
  const auto t0 = Clock::now();
  RunReport report = begin_report(o);
  report.path = "full";
  const ZipEntry entry = locate_zip_entry(report.file);
  FileReader file(report.file);
  GroupTable table;
  ClientState state;
  full_scan(file, entry, table, state, report, effective_threads(o.threads));

  const auto tw = Clock::now();
  DbSession session(o.db_path, o.busy_timeout_ms);
  SqliteStore& store = session.store();
  WriteTransaction tx(store.db());
  store.ensure_schema();
  store.replace_client(o.client, table);
  state.client = o.client;
  state.day = o.day;
  state.mode = "full";
  state.groups = table.size();
  store.save_state(state);
  tx.commit();
  report.add_phase("db_write", ms_since(tw));
  report.rows_in_file = state.rows;
  report.rows_processed = state.rows;
  report.groups_written = table.size();
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

RunReport run_pipeline(const RunOptions& o) {
  if (o.client.empty()) throw Error("run: expected a client name, found an empty one");
  if (o.day < 1) throw Error(fmt::format("run: expected a day >= 1, found {}", o.day));
  if (o.mode == "full") return run_full(o);
  if (o.mode == "incremental") return run_incremental(o);
  throw Error(fmt::format("run: expected --mode full or incremental, found \"{}\"", o.mode));
}

}  // namespace snapdelta
