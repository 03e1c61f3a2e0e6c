#include "pipeline/verify.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include "aggregate/cell_text.h"
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

// Walks both key-ordered lists of one table, noting differences until `out` holds `max`.
void differences(const Job& job, const Table& table, const std::vector<TableRow>& expected,
                 const std::vector<TableRow>& actual, size_t max, std::vector<std::string>& out) {
  auto note = [&](std::string s) {
    if (out.size() < max) out.push_back(table.name + ": " + std::move(s));
  };
  const size_t keys = table.group_by.size();
  auto text = [&](const TableRow& r) { return row_text(job, table, r); };
  size_t i = 0, j = 0;
  while (i < expected.size() || j < actual.size()) {
    if (j == actual.size() || (i < expected.size() && key_less(expected[i], actual[j], keys))) {
      note("missing in table: " + text(expected[i++]));
    } else if (i == expected.size() || key_less(actual[j], expected[i], keys)) {
      note("extra in table: " + text(actual[j++]));
    } else {
      if (!(expected[i] == actual[j])) {
        note(fmt::format("differs: expected {}, table has {}", text(expected[i]), text(actual[j])));
      }
      ++i;
      ++j;
    }
  }
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
  result.file =
      drop_of(*state, req.data_dir, drops::pattern_or_default(drop_pattern_of(req.pattern, job)));
  const Drop drop(result.file, job);
  const Scan scan = scan_whole_drop(drop, effective_threads(0)).scan;
  for (size_t t = 0; t < job.tables.size(); ++t) {
    const std::vector<TableRow> expected = scan.table.rows(t);
    result.groups += expected.size();
    differences(job, job.tables[t], expected, store->table_rows(req.client, t), req.max_differences,
                result.differences);
  }
  result.identical = result.differences.empty();
  return result;
}

}  // namespace snapdelta
