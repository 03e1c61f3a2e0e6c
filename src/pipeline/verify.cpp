#include "pipeline/verify.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include "aggregate/table_diff.h"
#include "common/error.h"
#include "common/thread_placement.h"
#include "job/builtin_job.h"
#include "pipeline/drop_scan.h"
#include "pipeline/run_options.h"
#include "source/drop_catalog.h"
#include "store/open_store.h"

namespace snapdelta {
namespace {

// The drop of the state's day, found the way `run` finds it (not by the path the state recorded,
// which may be relative to where that run started); a recorded absolute path serves when the data
// dir does not hold it.
std::string drop_of(const ClientState& state, const std::string& data_dir,
                    const DropPattern& pattern) {
  struct stat st {};
  const bool recorded_absolute =
      state.file.rfind('/', 0) == 0 && ::stat(state.file.c_str(), &st) == 0;
  const std::string in_data_dir = drops::drop_path(data_dir, state.client, state.day, pattern);
  if (::stat(in_data_dir.c_str(), &st) != 0 && recorded_absolute) return state.file;
  return drops::require_drop(data_dir, state.client, state.day, pattern);
}

}  // namespace

VerifyResult verify_client(const VerifyRequest& req) {
  const Job& job = req.job ? *req.job : builtin_job();
  const auto store = open_store(StoreOptions{req.db, StoreOpen::existing}, job);
  const auto state = store->load_state(req.client);
  if (!state) {
    fail(store->describe(),
         fmt::format("expected a stored state for client {}, found none", req.client));
  }
  VerifyResult result;
  result.file = drop_of(*state, req.data_dir, drops::pattern_or_default(job.source.pattern));
  const Drop drop(result.file, job);
  const Scan scan = scan_whole_drop(drop, effective_threads(0)).scan;
  for (size_t t = 0; t < job.tables.size(); ++t) {
    const std::vector<TableRow> expected = scan.table.rows(t);
    result.groups += expected.size();
    table_differences(job, job.tables[t], expected, store->table_rows(req.client, t),
                      req.max_differences, result.differences);
  }
  result.identical = result.differences.empty();
  return result;
}

}  // namespace snapdelta
