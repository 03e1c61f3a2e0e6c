#include "aggregate/cell_text.h"

#include "common/date.h"

namespace snapdelta {

ColumnType cell_type(const Job& job, const Table& table, size_t cell) {
  if (cell < table.group_by.size()) return job.columns[table.group_by[cell]].type;
  const Measure& m = table.measures[cell - table.group_by.size()];
  if (m.kind == MeasureKind::count_rows || m.kind == MeasureKind::count) {
    return ColumnType{ColumnKind::int64, "", 0};
  }
  return job.columns[m.column].type;
}

std::string decimal_text(int64_t units, uint8_t scale) {
  const bool negative = units < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(units) : uint64_t(units);
  std::string digits = std::to_string(magnitude);
  if (scale > 0) {
    if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
    digits.insert(digits.size() - scale, 1, '.');
  }
  return negative ? "-" + digits : digits;
}

std::string cell_text(const Cell& cell, const ColumnType& type) {
  if (cell.null) return "null";
  switch (type.kind) {
    case ColumnKind::date:
      return format_date(static_cast<int32_t>(cell.number));
    case ColumnKind::string:
      return cell.text;
    case ColumnKind::int64:
      return std::to_string(cell.number);
    case ColumnKind::decimal:
      return decimal_text(cell.number, type.scale);
  }
  return "";
}

std::string row_text(const Job& job, const Table& table, const TableRow& row) {
  std::string out;
  const size_t keys = table.group_by.size();
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) out += ' ';
    if (i >= keys) out += table.measures[i - keys].name + "=";
    out += cell_text(row[i], cell_type(job, table, i));
  }
  return out;
}

}  // namespace snapdelta
