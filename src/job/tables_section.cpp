// [[table]] entries of a job file: name, group_by and [table.measures].
#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "common/near_miss.h"
#include "job/job_sections.h"
#include "job/measure_text.h"
#include "job/names.h"
#include "job/stored_names.h"

namespace snapdelta::job_sections {
namespace {

using toml_read::fail_key;

std::vector<std::string> names_of(const std::vector<Column>& columns) {
  std::vector<std::string> out;
  for (const Column& c : columns) out.push_back(c.name);
  return out;
}

// The index of the declared column `name`; fails at `where` naming `key` otherwise.
uint32_t column_index(std::string_view path, const toml::source_region& where,
                      const std::vector<Column>& columns, std::string_view name,
                      std::string_view what, std::string_view key) {
  for (uint32_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name) return i;
  fail_key(path, where, key,
           fmt::format("expected a declared column{}, found {}{}", what, quote_whole(name),
                       did_you_mean(name, names_of(columns))));
}

// The column names a table has in the store so far, each with the key that gave it; add()
// fails at the key that would store a name twice (in any letter case: SQL folds it).
class StoredColumns {
 public:
  explicit StoredColumns(std::string table)
      : table_(std::move(table)), names_{{std::string(kClientColumn), ""}} {}

  // Adds the stored columns of a value of `type` named `name` (a decimal adds two).
  void add(std::string_view path, const toml::source_region& where, std::string_view key,
           std::string_view name, const ColumnType* type) {
    if (type != nullptr && type->kind == ColumnKind::decimal)
      add_one(path, where, key, units_column_name(name, type->scale));
    add_one(path, where, key, std::string(name));
  }

 private:
  void add_one(std::string_view path, const toml::source_region& where, std::string_view key,
               std::string name) {
    for (const auto& [earlier, earlier_key] : names_) {
      if (!same_name(earlier, name)) continue;
      const std::string beside = earlier_key.empty()
                                     ? fmt::format("{}, every table's first column", earlier)
                                     : fmt::format("{} of {}", quote_whole(earlier), earlier_key);
      fail_key(path, where, key,
               fmt::format("expected a column name not used twice in table {}, found {} "
                           "(stored beside {})",
                           table_, quote_whole(name), beside));
    }
    names_.emplace_back(std::move(name), std::string(key));
  }

  std::string table_;
  std::vector<std::pair<std::string, std::string>> names_;  // (stored name, key; "" client_id)
};

std::vector<uint32_t> read_group_by(std::string_view path, const toml::table& table,
                                    const std::vector<Column>& columns, StoredColumns& stored) {
  constexpr std::string_view kKey = "table.group_by";
  const toml::node* node = table.get("group_by");
  if (node == nullptr) return {};
  if (!node->is_array())
    fail_key(
        path, node->source(), kKey,
        fmt::format("expected an array of column names, found {}", toml_read::describe(*node)));
  std::vector<uint32_t> out;
  for (const toml::node& item : *node->as_array()) {
    const std::string name = toml_read::string_of(path, item, kKey);
    const uint32_t index = column_index(path, item.source(), columns, name, "", kKey);
    if (std::find(out.begin(), out.end(), index) != out.end())
      fail_key(path, item.source(), kKey,
               fmt::format("expected each column once, found {} again", quote_whole(name)));
    stored.add(path, item.source(), kKey, name, &columns[index].type);
    out.push_back(index);
  }
  return out;
}

// Fails unless a measure of `kind` can take a column of kind `column`.
void check_measure_column(std::string_view path, const toml::node& node, std::string_view key,
                          MeasureKind kind, const Column& column) {
  const std::string what = measure_text(kind, "...");
  const ColumnKind type = column.type.kind;
  if (kind == MeasureKind::sum && type != ColumnKind::int64 && type != ColumnKind::decimal)
    fail_key(path, node.source(), key,
             fmt::format("expected an int or decimal column in {}, found {}, a {} column", what,
                         column.name, type == ColumnKind::date ? "date" : "string"));
  // Strings are kept as dictionary ids, which do not order as their texts do.
  if ((kind == MeasureKind::min || kind == MeasureKind::max) && type == ColumnKind::string)
    fail_key(path, node.source(), key,
             fmt::format("expected an int, decimal or date column in {}, found {}, a string column",
                         what, column.name));
}

Measure read_measure(std::string_view path, const toml_read::Entry& entry,
                     const std::vector<Column>& columns, StoredColumns& stored) {
  const auto& [key, node] = entry;
  Measure out;
  out.name = std::string(key->str());
  const std::string problem = name_problem(out.name);
  if (!problem.empty()) fail_key(path, key->source(), "table.measures", problem);
  const std::string dotted = "table.measures." + out.name;
  const ParsedMeasure parsed = parse_measure(toml_read::string_of(path, *node, dotted));
  if (!parsed.problem.empty()) fail_key(path, node->source(), dotted, parsed.problem);
  out.kind = parsed.kind;
  if (parsed.kind == MeasureKind::count_rows || parsed.kind == MeasureKind::count) {
    if (parsed.kind == MeasureKind::count)
      out.column =
          column_index(path, node->source(), columns, parsed.column, " in count(...)", dotted);
    stored.add(path, key->source(), dotted, out.name, nullptr);
    return out;
  }
  out.column = column_index(path, node->source(), columns, parsed.column,
                            " in " + measure_text(parsed.kind, "..."), dotted);
  check_measure_column(path, *node, dotted, parsed.kind, columns[out.column]);
  stored.add(path, key->source(), dotted, out.name, &columns[out.column].type);
  return out;
}

std::vector<Measure> read_measures(std::string_view path, const toml::table& table,
                                   const std::vector<Column>& columns, StoredColumns& stored) {
  const toml::table* measures =
      toml_read::table_or_null(path, table.get("measures"), "table.measures");
  if (measures == nullptr || measures->empty())
    toml_read::fail_at(path, measures ? measures->source() : table.source(),
                       "expected at least one measure in [table.measures], found none");
  std::vector<Measure> out;
  for (const toml_read::Entry& entry : toml_read::in_file_order(*measures))
    out.push_back(read_measure(path, entry, columns, stored));
  return out;
}

std::string read_table_name(std::string_view path, const toml::table& table) {
  const toml::node& node = toml_read::required(path, table, "name", "table.name");
  std::string name = toml_read::string_of(path, node, "table.name");
  const std::string problem = name_problem(name);
  if (!problem.empty()) fail_key(path, node.source(), "table.name", problem);
  const std::string_view prefix = reserved_table_prefix(name);
  if (!prefix.empty())
    fail_key(path, node.source(), "table.name",
             fmt::format("expected a name that does not start with snapdelta_, sqlite_ or pg_ "
                         "(the tool's and the stores' own tables), found {}",
                         quote_whole(name)));
  return name;
}

Table read_table(std::string_view path, const toml::node& node,
                 const std::vector<Column>& columns) {
  if (!node.is_table())
    toml_read::fail_at(path, node.source(),
                       fmt::format("expected a [[table]], found {}", toml_read::describe(node)));
  const toml::table& table = *node.as_table();
  toml_read::check_keys(path, table, "[[table]]", {"name", "group_by", "measures"});
  Table out;
  out.name = read_table_name(path, table);
  StoredColumns stored(out.name);
  out.group_by = read_group_by(path, table, columns, stored);
  out.measures = read_measures(path, table, columns, stored);
  return out;
}

}  // namespace

std::vector<Table> read_tables(std::string_view path, const toml::table& root,
                               const std::vector<Column>& columns) {
  const toml::node* node = root.get("table");
  if (node == nullptr)
    snapdelta::fail_at(path, 1, 1, "expected at least one [[table]], found none");
  if (!node->is_array())
    toml_read::fail_at(path, node->source(),
                       fmt::format("expected [[table]] (an array of tables), found {}",
                                   toml_read::describe(*node)));
  std::vector<Table> out;
  for (const toml::node& item : *node->as_array()) {
    Table table = read_table(path, item, columns);
    for (const Table& earlier : out)
      if (same_name(earlier.name, table.name))
        fail_key(path, item.as_table()->get("name")->source(), "table.name",
                 fmt::format("expected a name not used by another [[table]] (in any letter "
                             "case), found {} (beside {})",
                             quote_whole(table.name), quote_whole(earlier.name)));
    out.push_back(std::move(table));
  }
  if (out.empty())
    toml_read::fail_at(path, node->source(), "expected at least one [[table]], found none");
  return out;
}

}  // namespace snapdelta::job_sections
