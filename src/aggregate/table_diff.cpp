#include "aggregate/table_diff.h"

#include <fmt/format.h>

#include "aggregate/cell_text.h"

namespace snapdelta {

size_t table_differences(const Job& job, const Table& table, const std::vector<TableRow>& expected,
                         const std::vector<TableRow>& actual, size_t max,
                         std::vector<std::string>& out) {
  size_t count = 0;
  auto note = [&](std::string s) {
    ++count;
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
  return count;
}

}  // namespace snapdelta
