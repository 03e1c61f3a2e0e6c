#include "pipeline/verify.h"


#include <fmt/format.h>
#include <sys/stat.h>

#include "common/date.h"
#include "common/error.h"
#include "common/money.h"
#include "common/thread_placement.h"
#include "pipeline/drop_scan.h"
#include "source/drop_catalog.h"
#include "store/open_store.h"

namespace snapdelta {
namespace {

std::string describe(const SalesRow& r) {
  return fmt::format("{} {} qty={} revenue={} orders={}", r.date, r.sku, r.quantity,
                     format_cents(r.cents), r.count);
}

// The drop of the state's day, found the way `run` finds it (not by the path the state recorded,
// which may be relative to where that run started); a recorded absolute path serves when the data
// dir does not hold it.
std::string drop_of(const ClientState& state, const std::string& data_dir) {
  struct stat st {};
  const bool recorded_absolute =
      state.file.rfind('/', 0) == 0 && ::stat(state.file.c_str(), &st) == 0;
  const std::string in_data_dir = drops::drop_path(data_dir, state.client, state.day);
  if (::stat(in_data_dir.c_str(), &st) != 0 && recorded_absolute) return state.file;
  return drops::require_drop(data_dir, state.client, state.day);
}

std::vector<SalesRow> recomputed_rows(const std::string& file) {
  const Drop drop(file);
  const Scan scan = scan_whole_drop(drop, effective_threads(0)).scan;
  std::vector<SalesRow> rows;
  for (const Group& g : scan.table.sorted_groups()) {
    rows.push_back(
        SalesRow{format_date(g.date), *g.sku, g.totals.quantity, g.totals.cents, g.totals.count});
  }
  return rows;
}

bool key_before(const SalesRow& a, const SalesRow& b) {
  return std::tie(a.date, a.sku) < std::tie(b.date, b.sku);
}

// Walks both key-ordered lists, noting the first `max` differences.
std::vector<std::string> differences(const std::vector<SalesRow>& expected,
                                     const std::vector<SalesRow>& actual, size_t max) {
  std::vector<std::string> out;
  auto note = [&](std::string s) {
    if (out.size() < max) out.push_back(std::move(s));
  };
  size_t i = 0, j = 0;
  while (i < expected.size() || j < actual.size()) {
    if (j == actual.size() || (i < expected.size() && key_before(expected[i], actual[j]))) {
      note("missing in table: " + describe(expected[i++]));
    } else if (i == expected.size() || key_before(actual[j], expected[i])) {
      note("extra in table: " + describe(actual[j++]));
    } else {
      if (!(expected[i] == actual[j])) {
        note(fmt::format("differs: expected {}, table has {}", describe(expected[i]),
                         describe(actual[j])));
      }
      ++i;
      ++j;
    }
  }
  return out;
}

}  // namespace

VerifyResult verify_client(const std::string& client, const std::string& data_dir,
                           const std::string& db_path, size_t max_differences) {
  const auto store = open_store(StoreOptions{db_path, StoreOpen::existing});
  const auto state = store->load_state(client);
  if (!state) {
    fail(store->describe(),
         fmt::format("expected a stored state for client {}, found none", client));
  }
  VerifyResult result;
  result.file = drop_of(*state, data_dir);
  const std::vector<SalesRow> expected = recomputed_rows(result.file);
  result.groups = expected.size();
  result.differences = differences(expected, store->client_rows(client), max_differences);
  result.identical = result.differences.empty();
  return result;
}

}  // namespace snapdelta
