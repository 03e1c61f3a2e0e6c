#include "cli/text_table.h"

#include <algorithm>
#include <cstddef>
#include <stdexcept>

namespace snapdelta::cli {
namespace {

std::string render_line(const std::vector<Column>& columns, const std::vector<size_t>& widths,
                        const std::vector<std::string>& cells) {
  std::string line;
  for (size_t c = 0; c < columns.size(); ++c) {
    const std::string pad(widths[c] - cells[c].size(), ' ');
    if (c > 0) line += "  ";
    line += columns[c].align == Align::right ? pad + cells[c] : cells[c] + pad;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + '\n';
}

}  // namespace

std::string render_table(const std::vector<Column>& columns,
                         const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::string> header;
  std::vector<size_t> widths;
  for (const Column& c : columns) {
    header.push_back(c.title);
    widths.push_back(c.title.size());
  }
  for (const auto& row : rows) {
    if (row.size() != columns.size()) throw std::logic_error("render_table: ragged row");
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string out = render_line(columns, widths, header);
  for (const auto& row : rows) out += render_line(columns, widths, row);
  return out;
}

}  // namespace snapdelta::cli
