// [columns] of a job file: `name = "type"` or `name = { from = ..., type = "..." }`.
#include <fmt/format.h>

#include "common/error.h"
#include "job/column_type.h"
#include "job/job_sections.h"
#include "job/names.h"

namespace snapdelta::job_sections {
namespace {

using toml_read::fail_key;

// The type at `node`, the value of the key `key` ("columns.sku_id" or "columns.sku_id.type").
ColumnType type_of(std::string_view path, const toml::node& node, std::string_view key) {
  const ParsedColumnType parsed = parse_column_type(toml_read::string_of(path, node, key));
  if (!parsed.problem.empty()) fail_key(path, node.source(), key, parsed.problem);
  return parsed.type;
}

// Where the column is read from, given by `from` in the long form.
void read_from(std::string_view path, const toml::node& from, const CsvFormat& csv,
               Column& column) {
  const std::string key = "columns." + column.name + ".from";
  if (csv.header) {
    if (!from.is_string())
      fail_key(path, from.source(), key,
               fmt::format("expected a header name (header = true), found {}",
                           toml_read::describe(from)));
    column.from_header = **from.as_string();
    return;
  }
  const int64_t position = from.is_integer() ? **from.as_integer() : 0;
  if (!from.is_integer() || position < 1 || position > 1'000'000)
    fail_key(path, from.source(), key,
             fmt::format("expected a 1-based position (header = false), found {}",
                         toml_read::describe(from)));
  column.from_position = static_cast<uint32_t>(position);
}

Column read_column(std::string_view path, const toml_read::Entry& entry, const CsvFormat& csv,
                   size_t index) {
  const auto& [key, node] = entry;
  Column column;
  column.name = std::string(key->str());
  const std::string problem = name_problem(column.name);
  if (!problem.empty()) fail_key(path, key->source(), "columns", problem);
  const std::string dotted = "columns." + column.name;
  column.from_header = csv.header ? column.name : "";
  column.from_position = csv.header ? 0 : static_cast<uint32_t>(index + 1);
  if (node->is_string()) {
    column.type = type_of(path, *node, dotted);
    return column;
  }
  if (!node->is_table())
    fail_key(path, node->source(), dotted,
             fmt::format("expected a type (\"int\") or {{ from = ..., type = ... }}, found {}",
                         toml_read::describe(*node)));
  const toml::table& long_form = *node->as_table();
  toml_read::check_keys(path, long_form, dotted, {"from", "type"});
  const std::string type_key = dotted + ".type";
  column.type = type_of(path, toml_read::required(path, long_form, "type", type_key), type_key);
  if (const toml::node* from = long_form.get("from")) read_from(path, *from, csv, column);
  return column;
}

void check_distinct_sources(std::string_view path, const std::vector<toml_read::Entry>& entries,
                            const std::vector<Column>& columns) {
  for (size_t i = 0; i < columns.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (columns[i].from_header != columns[j].from_header ||
          columns[i].from_position != columns[j].from_position)
        continue;
      const std::string source = columns[i].from_position
                                     ? fmt::format("position {}", columns[i].from_position)
                                     : quote_whole(columns[i].from_header);
      fail_key(path, entries[i].first->source(), "columns." + columns[i].name,
               fmt::format("expected a field no other column reads, found {} again "
                           "(columns.{} reads it too)",
                           source, columns[j].name));
    }
  }
}

}  // namespace

std::vector<Column> read_columns(std::string_view path, const toml::table& root,
                                 const CsvFormat& csv) {
  const toml::table* table = toml_read::table_or_null(path, root.get("columns"), "columns");
  if (table == nullptr) snapdelta::fail_at(path, 1, 1, "expected a [columns] table, found none");
  const std::vector<toml_read::Entry> entries = toml_read::in_file_order(*table);
  if (entries.empty())
    toml_read::fail_at(path, table->source(),
                       "expected at least one column in [columns], found none");
  std::vector<Column> columns;
  for (const toml_read::Entry& entry : entries)
    columns.push_back(read_column(path, entry, csv, columns.size()));
  check_distinct_sources(path, entries, columns);
  return columns;
}

}  // namespace snapdelta::job_sections
