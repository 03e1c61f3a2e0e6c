// TextTable: rows of text cells printed as one aligned table under a header line.
// Contract: each column is as wide as its widest cell (header included, width counted in bytes);
// columns are separated by two spaces; left-aligned columns pad on the right, right-aligned ones
// on the left; no line ends in spaces. Every row has as many cells as there are columns.
#pragma once

#include <string>
#include <vector>

namespace snapdelta::cli {

enum class Align { left, right };

struct Column {
  std::string title;
  Align align = Align::left;
};

// The header line and one line per row, each ending in '\n'.
std::string render_table(const std::vector<Column>& columns,
                         const std::vector<std::vector<std::string>>& rows);

}  // namespace snapdelta::cli
