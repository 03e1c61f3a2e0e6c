// Cell and TableRow: one table row as stores read it back and as verify and the benchmark compare
// it, the same whatever the store. Contract: a row is the table's key cells in group_by order, then
// its measure cells in the table's order. A cell is null, or holds `number` (date: days since
// 1970-01-01; int; decimal: the integer count of 10^-scale units; every measure) or `text`
// (string keys). Rows of one client sort by key_less(): column by column, a null key first, then
// numbers numerically and texts bytewise.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace snapdelta {

struct Cell {
  bool null = false;
  int64_t number = 0;
  std::string text;
  bool operator==(const Cell&) const = default;
};

using TableRow = std::vector<Cell>;

// Orders two rows of one table by their first `keys` cells.
bool key_less(const TableRow& a, const TableRow& b, size_t keys);

}  // namespace snapdelta
