// TableLayout: how a job table lies in a store, the same on SQLite and PostgreSQL.
// Contract: a table's stored columns are client_id, then one per group_by column, then one per
// measure, in the job's order. A column holds a date, a text or an integer; decimals (keys and
// sum/min/max of a decimal column) are stored as the integer count of 10^-scale units under
// `<name>_cents` (scale 2) or `<name>_units` (any other scale), and `<name>` is a generated,
// readable column beside it. count() and count(col) are integers; sum/min/max have their
// column's type. Keys and sum/min/max may be null exactly when the job reads null texts
// (csv.nulls non-empty). quoted() is an identifier in double quotes (job names are validated
// names, so nothing needs escaping; a quote would be doubled anyway).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "job/job.h"

namespace snapdelta {

enum class StoredKind : uint8_t { date, text, integer };

struct StoredColumn {
  std::string name;      // the column holding the value (`<name>_cents` for a decimal)
  std::string readable;  // decimals: the generated column's name; "" otherwise
  StoredKind kind = StoredKind::integer;
  uint8_t scale = 0;  // decimals: fraction digits
  bool nullable = false;
  bool sum = false;                               // a sum measure: checked against int64 overflow
  MeasureKind measure = MeasureKind::count_rows;  // measures only
};

struct TableLayout {
  std::string name;
  std::vector<StoredColumn> keys;      // group_by order
  std::vector<StoredColumn> measures;  // the table's order
  bool nullable_keys = false;
};

TableLayout table_layout(const Job& job, size_t table);
std::string quoted(std::string_view name);
// `"a", "b"` of the stored columns' names.
std::string column_list(const std::vector<StoredColumn>& columns);

}  // namespace snapdelta
