#include "store/merge_overflow.h"

#include <fmt/format.h>

#include <algorithm>

#include "aggregate/cell_text.h"
#include "common/date.h"

namespace snapdelta {

std::string render_cell(const Cell& cell, const StoredColumn& column) {
  if (cell.null) return "null";
  if (column.kind == StoredKind::text) return cell.text;
  if (column.kind == StoredKind::date) return format_date(static_cast<int32_t>(cell.number));
  if (column.readable.empty()) return std::to_string(cell.number);
  return decimal_text(cell.number, column.scale);
}

namespace {

bool overflows(const Cell& a, const Cell& b, const StoredColumn& c) {
  const bool adds = c.measure == MeasureKind::sum || c.measure == MeasureKind::count ||
                    c.measure == MeasureKind::count_rows;
  int64_t out = 0;
  return adds && !a.null && !b.null && __builtin_add_overflow(a.number, b.number, &out);
}

std::string describe(const TableLayout& layout, const TableRow& row, size_t m) {
  std::string key;
  for (size_t k = 0; k < layout.keys.size(); ++k) {
    key += (k ? ", " : "") + render_cell(row[k], layout.keys[k]);
  }
  return fmt::format(
      "table {}, group ({}), measure {}", layout.name, key,
      layout.measures[m].readable.empty() ? layout.measures[m].name : layout.measures[m].readable);
}

}  // namespace

std::string merge_overflow(const JobGroups& groups, size_t t, std::vector<TableRow> stored) {
  const TableLayout layout = table_layout(groups.job(), t);
  const size_t keys = layout.keys.size();
  auto less = [keys](const TableRow& a, const TableRow& b) { return key_less(a, b, keys); };
  std::sort(stored.begin(), stored.end(), less);
  const TableGroups& table = groups.table(t);
  for (uint32_t g : table.sorted()) {
    const TableRow row = table.row(g);
    const auto it = std::lower_bound(stored.begin(), stored.end(), row, less);
    if (it == stored.end() || less(row, *it)) continue;
    for (size_t m = 0; m < layout.measures.size(); ++m) {
      if (overflows((*it)[keys + m], row[keys + m], layout.measures[m])) {
        return describe(layout, row, m);
      }
    }
  }
  return "";
}

std::string overflow_message(const std::string& where) {
  return "expected sums within 64-bit integers, found an overflow in " + where;
}

}  // namespace snapdelta
