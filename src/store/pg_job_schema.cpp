#include "store/pg_job_schema.h"

#include <fmt/format.h>

namespace snapdelta {
namespace {

const char* type_of(const StoredColumn& c) {
  switch (c.kind) {
    case StoredKind::date:
      return "date";
    case StoredKind::text:
      return "text COLLATE \"C\"";
    case StoredKind::integer:
      return "bigint";
  }
  return "bigint";
}

std::string factor(uint8_t scale) {
  return scale == 0 ? "1" : "0." + std::string(scale - 1, '0') + "1";
}

std::string column_sql(const StoredColumn& c) {
  std::string sql =
      fmt::format("  {} {}{},\n", quoted(c.name), type_of(c), c.nullable ? "" : " NOT NULL");
  if (!c.readable.empty()) {
    sql += fmt::format("  {} numeric({},{}) GENERATED ALWAYS AS ({} * {}) STORED,\n",
                       quoted(c.readable), 19 + c.scale, c.scale, quoted(c.name), factor(c.scale));
  }
  return sql;
}

std::vector<StoredColumn> all_columns(const TableLayout& layout) {
  std::vector<StoredColumn> all = layout.keys;
  all.insert(all.end(), layout.measures.begin(), layout.measures.end());
  return all;
}

std::string key_list(const TableLayout& layout) {
  return "client_id" + std::string(layout.keys.empty() ? "" : ", ") + column_list(layout.keys);
}

std::string merged(const StoredColumn& c) {
  const std::string now = "p." + quoted(c.name), in = "excluded." + quoted(c.name);
  switch (c.measure) {
    case MeasureKind::count_rows:
    case MeasureKind::count:
      return fmt::format("{} + {}", now, in);
    case MeasureKind::sum:
      return c.nullable ? fmt::format("coalesce({0} + {1}, {0}, {1})", now, in)
                        : fmt::format("{} + {}", now, in);
    case MeasureKind::min:
      return fmt::format("LEAST({}, {})", now, in);
    case MeasureKind::max:
      return fmt::format("GREATEST({}, {})", now, in);
  }
  return now;
}

}  // namespace

std::string pg_create_sql(const TableLayout& layout) {
  std::string sql =
      fmt::format("CREATE TABLE IF NOT EXISTS {}(\n  client_id text COLLATE \"C\" NOT NULL,\n",
                  quoted(layout.name));
  for (const StoredColumn& c : all_columns(layout)) sql += column_sql(c);
  return sql + fmt::format("  {} ({})\n);\n",
                           layout.nullable_keys ? "UNIQUE NULLS NOT DISTINCT" : "PRIMARY KEY",
                           key_list(layout));
}

std::string pg_delta_name(size_t t) { return fmt::format("snapdelta_delta_{}", t); }

std::string pg_delta_sql(const TableLayout& layout, size_t t) {
  std::string columns;
  for (const StoredColumn& c : all_columns(layout)) {
    columns += fmt::format("{}{} {}", columns.empty() ? "" : ", ", quoted(c.name), type_of(c));
  }
  return fmt::format(
      "CREATE TEMP TABLE IF NOT EXISTS {0}({1}) ON COMMIT DELETE ROWS; DELETE FROM {0}",
      pg_delta_name(t), columns);
}

// An updated row's new version carries the updating transaction in xmax, an inserted one has
// xmax 0, so the new keys are counted on the way.
std::string pg_merge_sql(const TableLayout& layout, size_t t) {
  const std::string columns = column_list(all_columns(layout));
  std::string set;
  for (const StoredColumn& m : layout.measures) {
    set += fmt::format("{}{} = {}", set.empty() ? "" : ", ", quoted(m.name), merged(m));
  }
  return fmt::format(
      "WITH up AS (INSERT INTO {0} AS p (client_id, {1}) SELECT $1, {1} FROM {2} "
      "ON CONFLICT ({3}) DO UPDATE SET {4} RETURNING p.xmax = 0 AS inserted) "
      "SELECT count(*) FILTER (WHERE inserted) FROM up",
      quoted(layout.name), columns, pg_delta_name(t), key_list(layout), set);
}

std::string pg_copy_sql(const TableLayout& layout) {
  return fmt::format("COPY {}(client_id, {}) FROM STDIN (FORMAT binary)", quoted(layout.name),
                     column_list(all_columns(layout)));
}

std::string pg_select_sql(const TableLayout& layout) {
  std::string columns;
  for (const StoredColumn& c : all_columns(layout)) {
    const std::string name = quoted(c.name);
    columns += (columns.empty() ? "" : ", ") +
               (c.kind == StoredKind::date ? "(" + name + " - DATE '1970-01-01')" : name);
  }
  return fmt::format("SELECT {} FROM {} WHERE client_id = $1", columns, quoted(layout.name));
}

}  // namespace snapdelta
