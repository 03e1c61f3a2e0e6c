// [[table]] entries of a job file: name, group_by and [table.measures].
#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "common/near_miss.h"
#include "job/job_sections.h"
#include "job/measure_text.h"
#include "job/names.h"

namespace snapdelta::job_sections {
namespace {

using toml_read::fail_at;

constexpr std::string_view kClientColumn = "client_id";

std::vector<std::string> names_of(const std::vector<Column>& columns) {
  std::vector<std::string> out;
  for (const Column& c : columns) out.push_back(c.name);
  return out;
}

// The index of the declared column `name`; fails at `where` naming `what` otherwise.
uint32_t column_index(std::string_view path, const toml::source_region& where,
                      const std::vector<Column>& columns, std::string_view name,
                      std::string_view what) {
  for (uint32_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name) return i;
  fail_at(path, where,
          fmt::format("expected a declared column in {}, found {}{}", what, quote_found(name),
                      did_you_mean(name, names_of(columns))));
}

// A table column's name: usable in SQL and not client_id, which every table has first.
void check_table_column_name(std::string_view path, const toml::source_region& where,
                             std::string_view name) {
  std::string problem = name_problem(name);
  if (problem.empty() && name == kClientColumn)
    problem = fmt::format("expected a name other than {} (every table has it first), found {}",
                          kClientColumn, quote_found(name));
  if (!problem.empty()) fail_at(path, where, problem);
}

std::vector<uint32_t> read_group_by(std::string_view path, const toml::table& table,
                                    const std::vector<Column>& columns) {
  const toml::node* node = table.get("group_by");
  if (node == nullptr) return {};
  if (!node->is_array())
    fail_at(path, node->source(),
            fmt::format("expected an array of column names for group_by, "
                        "found {}",
                        toml_read::describe(*node)));
  std::vector<uint32_t> out;
  for (const toml::node& item : *node->as_array()) {
    const std::string name = toml_read::string_of(path, item, "each group_by column");
    const uint32_t index = column_index(path, item.source(), columns, name, "group_by");
    check_table_column_name(path, item.source(), name);
    if (std::find(out.begin(), out.end(), index) != out.end())
      fail_at(path, item.source(),
              fmt::format("expected each group_by column once, found {} again", quote_found(name)));
    out.push_back(index);
  }
  return out;
}

Measure read_measure(std::string_view path, const toml_read::Entry& entry,
                     const std::vector<Column>& columns) {
  const auto& [key, node] = entry;
  Measure out;
  out.name = std::string(key->str());
  check_table_column_name(path, key->source(), out.name);
  const ParsedMeasure parsed = parse_measure(toml_read::string_of(path, *node, out.name));
  if (!parsed.problem.empty()) fail_at(path, node->source(), parsed.problem);
  out.kind = parsed.kind;
  if (parsed.kind == MeasureKind::count_rows) return out;
  const std::string what = measure_text(parsed.kind, "...");
  out.column = column_index(path, node->source(), columns, parsed.column, what);
  const ColumnKind kind = columns[out.column].type.kind;
  if (parsed.kind == MeasureKind::sum && kind != ColumnKind::int64 && kind != ColumnKind::decimal)
    fail_at(path, node->source(),
            fmt::format("expected an int or decimal column in {}, found {}, a {} column", what,
                        parsed.column, kind == ColumnKind::date ? "date" : "string"));
  // Strings are kept as dictionary ids, which do not order as their texts do.
  if ((parsed.kind == MeasureKind::min || parsed.kind == MeasureKind::max) &&
      kind == ColumnKind::string)
    fail_at(path, node->source(),
            fmt::format("expected an int, decimal or date column in {}, found {}, a string column",
                        what, parsed.column));
  return out;
}

std::vector<Measure> read_measures(std::string_view path, const toml::table& table,
                                   const std::vector<Column>& columns,
                                   const std::vector<uint32_t>& group_by) {
  const toml::table* measures =
      toml_read::table_or_null(path, table.get("measures"), "[table.measures]");
  if (measures == nullptr || measures->empty())
    fail_at(path, measures ? measures->source() : table.source(),
            "expected at least one measure in [table.measures], found none");
  std::vector<Measure> out;
  for (const toml_read::Entry& entry : toml_read::in_file_order(*measures)) {
    out.push_back(read_measure(path, entry, columns));
    for (uint32_t key : group_by) {
      if (columns[key].name != out.back().name) continue;
      fail_at(path, entry.first->source(),
              fmt::format("expected a measure name not used by another column of the table, "
                          "found {} (a group_by column)",
                          quote_found(out.back().name)));
    }
  }
  return out;
}

Table read_table(std::string_view path, const toml::node& node,
                 const std::vector<Column>& columns) {
  if (!node.is_table())
    fail_at(path, node.source(),
            fmt::format("expected a [[table]], found {}", toml_read::describe(node)));
  const toml::table& table = *node.as_table();
  toml_read::check_keys(path, table, "[[table]]", {"name", "group_by", "measures"});
  const toml::node& name = toml_read::required(path, table, "name", "[[table]]");
  Table out;
  out.name = toml_read::string_of(path, name, "name");
  const std::string problem = name_problem(out.name);
  if (!problem.empty()) fail_at(path, name.source(), problem);
  out.group_by = read_group_by(path, table, columns);
  out.measures = read_measures(path, table, columns, out.group_by);
  return out;
}

}  // namespace

std::vector<Table> read_tables(std::string_view path, const toml::table& root,
                               const std::vector<Column>& columns) {
  const toml::node* node = root.get("table");
  if (node == nullptr)
    snapdelta::fail_at(path, 1, 1, "expected at least one [[table]], found none");
  if (!node->is_array())
    fail_at(path, node->source(),
            fmt::format("expected [[table]] (an array of tables), found {}",
                        toml_read::describe(*node)));
  std::vector<Table> out;
  for (const toml::node& item : *node->as_array()) {
    Table table = read_table(path, item, columns);
    for (const Table& earlier : out)
      if (earlier.name == table.name)
        fail_at(path, item.as_table()->get("name")->source(),
                fmt::format("expected a table name not used by another [[table]], found {} again",
                            quote_found(table.name)));
    out.push_back(std::move(table));
  }
  if (out.empty()) fail_at(path, node->source(), "expected at least one [[table]], found none");
  return out;
}

}  // namespace snapdelta::job_sections
