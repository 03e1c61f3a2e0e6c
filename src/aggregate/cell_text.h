// How a table row's cells read in messages (verify, the benchmark's comparisons).
// Contract: cell_type(job, table, i) is the type of cell i of a TableRow of `table` (its keys,
// then its measures: count() and count(col) are ints, sum/min/max have their column's type).
// cell_text() writes a cell as that type reads: "null", a date as YYYY-MM-DD, a string as is,
// an int, a decimal with exactly its scale's fraction digits ("-0.07"). row_text() is the row as
// `k1 k2 m1=v1 m2=v2`.
#pragma once

#include <cstdint>
#include <string>

#include "aggregate/table_cells.h"
#include "job/job.h"

namespace snapdelta {

ColumnType cell_type(const Job& job, const Table& table, size_t cell);
std::string decimal_text(int64_t units, uint8_t scale);
std::string cell_text(const Cell& cell, const ColumnType& type);
std::string row_text(const Job& job, const Table& table, const TableRow& row);

}  // namespace snapdelta
