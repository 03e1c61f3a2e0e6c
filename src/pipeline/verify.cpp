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
  // The drop of the state's day, found the way `run` finds it (not by the path the state
  // recorded, which may be relative to where that run started); a recorded absolute path serves
  // when the data dir does not hold it.
  struct stat st {};
  const bool recorded_absolute =
      state->file.rfind('/', 0) == 0 && ::stat(state->file.c_str(), &st) == 0;
  const std::string in_data_dir = drops::drop_path(data_dir, client, state->day);
  result.file = ::stat(in_data_dir.c_str(), &st) != 0 && recorded_absolute
                    ? state->file
                    : drops::require_drop(data_dir, client, state->day);
  const Drop drop(result.file);
  RunReport ignored;
  const Scan scan = scan_whole_drop(drop, effective_threads(0), ignored);
  std::vector<SalesRow> expected;
  for (const Group& g : scan.table.sorted_groups()) {
    expected.push_back(
        SalesRow{format_date(g.date), *g.sku, g.totals.quantity, g.totals.cents, g.totals.count});
  }
  const std::vector<SalesRow> actual = store->client_rows(client);
  result.groups = expected.size();
  size_t i = 0, j = 0;
  auto note = [&](std::string s) {
    if (result.differences.size() < max_differences) result.differences.push_back(std::move(s));
  };
  while (i < expected.size() || j < actual.size()) {
    if (j == actual.size() ||
        (i < expected.size() &&
         std::tie(expected[i].date, expected[i].sku) < std::tie(actual[j].date, actual[j].sku))) {
      note("missing in table: " + describe(expected[i++]));
    } else if (i == expected.size() || std::tie(actual[j].date, actual[j].sku) <
                                           std::tie(expected[i].date, expected[i].sku)) {
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
  result.identical = result.differences.empty();
  return result;
}

}  // namespace snapdelta
