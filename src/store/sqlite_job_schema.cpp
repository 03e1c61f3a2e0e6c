#include "store/sqlite_job_schema.h"

#include <fmt/format.h>

namespace snapdelta {
namespace {

const char* type_of(const StoredColumn& c) {
  return c.kind == StoredKind::integer ? "INTEGER" : "TEXT";
}

std::string column_sql(const StoredColumn& c) {
  std::string sql =
      fmt::format("  {} {}{},\n", quoted(c.name), type_of(c), c.nullable ? "" : " NOT NULL");
  if (!c.readable.empty()) {
    sql += fmt::format("  {} REAL GENERATED ALWAYS AS ({} / 1{}.0) VIRTUAL,\n", quoted(c.readable),
                       quoted(c.name), std::string(c.scale, '0'));
  }
  return sql;
}

std::string overflow_check(const TableLayout& layout) {
  std::string check;
  for (const StoredColumn& m : layout.measures) {
    if (!m.sum) continue;
    check += fmt::format("{}typeof({}) {}", check.empty() ? "" : " AND ", quoted(m.name),
                         m.nullable ? "IN ('integer', 'null')" : "= 'integer'");
  }
  return check;
}

std::vector<StoredColumn> all_columns(const TableLayout& layout) {
  std::vector<StoredColumn> all = layout.keys;
  all.insert(all.end(), layout.measures.begin(), layout.measures.end());
  return all;
}

// The merged value of measure `c` with the incoming value `in`.
std::string merged(const StoredColumn& c, const std::string& in) {
  const std::string now = quoted(c.name);
  switch (c.measure) {
    case MeasureKind::count_rows:
    case MeasureKind::count:
      return fmt::format("{} + {}", now, in);
    case MeasureKind::sum:
      return c.nullable ? fmt::format("coalesce({0} + {1}, {0}, {1})", now, in)
                        : fmt::format("{} + {}", now, in);
    case MeasureKind::min:
    case MeasureKind::max: {
      const char* f = c.measure == MeasureKind::min ? "min" : "max";
      return c.nullable ? fmt::format("coalesce({0}({1}, {2}), {1}, {2})", f, now, in)
                        : fmt::format("{}({}, {})", f, now, in);
    }
  }
  return now;
}

}  // namespace

std::string sqlite_create_sql(const TableLayout& layout) {
  std::string sql = fmt::format("CREATE TABLE IF NOT EXISTS {}(\n  client_id TEXT NOT NULL,\n",
                                quoted(layout.name));
  for (const StoredColumn& c : all_columns(layout)) sql += column_sql(c);
  const std::string keys =
      "client_id" + std::string(layout.keys.empty() ? "" : ", ") + column_list(layout.keys);
  sql += fmt::format("  {} ({})", layout.nullable_keys ? "UNIQUE" : "PRIMARY KEY", keys);
  if (const std::string check = overflow_check(layout); !check.empty()) {
    sql += ",\n  CHECK (" + check + ")";
  }
  return sql + (layout.nullable_keys ? "\n);\n" : "\n) WITHOUT ROWID;\n");
}

std::string sqlite_insert_head(const TableLayout& layout) {
  return fmt::format("INSERT INTO {}(client_id, {})", quoted(layout.name),
                     column_list(all_columns(layout)));
}

std::string sqlite_row_values(const TableLayout& layout) {
  std::string values = "(?";
  for (size_t i = 0; i < layout.keys.size() + layout.measures.size(); ++i) values += ",?";
  return values + ")";
}

std::string sqlite_upsert_tail(const TableLayout& layout) {
  std::string set;
  for (const StoredColumn& m : layout.measures) {
    set += fmt::format("{}{} = {}", set.empty() ? "" : ", ", quoted(m.name),
                       merged(m, "excluded." + quoted(m.name)));
  }
  const std::string keys =
      "client_id" + std::string(layout.keys.empty() ? "" : ", ") + column_list(layout.keys);
  return fmt::format(" ON CONFLICT({}) DO UPDATE SET {} WHERE snapdelta_merged() = 0", keys, set);
}

std::string sqlite_update_sql(const TableLayout& layout) {
  const size_t first_measure = layout.keys.size() + 2;
  std::string set, where = "client_id = ?1";
  for (size_t m = 0; m < layout.measures.size(); ++m) {
    const StoredColumn& c = layout.measures[m];
    set += fmt::format("{}{} = {}", m ? ", " : "", quoted(c.name),
                       merged(c, fmt::format("?{}", first_measure + m)));
  }
  for (size_t k = 0; k < layout.keys.size(); ++k) {
    where += fmt::format(" AND {} IS ?{}", quoted(layout.keys[k].name), k + 2);
  }
  return fmt::format("UPDATE {} SET {} WHERE {}", quoted(layout.name), set, where);
}

std::string sqlite_select_sql(const TableLayout& layout) {
  return fmt::format("SELECT {} FROM {} WHERE client_id = ?1", column_list(all_columns(layout)),
                     quoted(layout.name));
}

}  // namespace snapdelta
