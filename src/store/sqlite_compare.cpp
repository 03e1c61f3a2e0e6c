#include "store/sqlite_compare.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cstring>
#include <memory>
#include <vector>

#include "common/date.h"
#include "common/error.h"
#include "store/table_layout.h"

namespace snapdelta {
namespace {

// What one job table's comparison reads: the key columns (decimals by their units), then each
// measure's readable value (decimals by their generated column, as a reader sees them).
struct Compared {
  std::string table;
  std::vector<std::string> columns;
  int keys = 0;
  std::string prefix;  // "table T: " when the job has more than one table
};

Compared compared_of(const Job& job, size_t t) {
  const TableLayout layout = table_layout(job, t);
  Compared c;
  c.table = layout.name;
  for (const StoredColumn& k : layout.keys) c.columns.push_back(k.name);
  for (const StoredColumn& m : layout.measures) {
    c.columns.push_back(m.readable.empty() ? m.name : m.readable);
  }
  c.keys = static_cast<int>(layout.keys.size());
  if (job.tables.size() > 1) c.prefix = "table " + layout.name + ": ";
  return c;
}

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

Db open_read_only(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    fail(path, std::string("expected a readable SQLite database, found ") +
                   (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  return db;
}

Stmt prepare(sqlite3* db, const std::string& path, const std::string& sql,
             const std::string& client, const std::string& table = "processed_sales") {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    fail(path, "expected table " + table + ", found " + sqlite3_errmsg(db));
  }
  Stmt stmt(raw);
  sqlite3_bind_text(raw, 1, client.c_str(), static_cast<int>(client.size()), SQLITE_TRANSIENT);
  return stmt;
}

bool step(sqlite3_stmt* stmt, sqlite3* db, const std::string& path) {
  const int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(path, std::string("expected readable rows, found ") + sqlite3_errmsg(db));
}

// SQLite's own order between storage classes: NULL < INTEGER/REAL < TEXT < BLOB.
int type_rank(int type) {
  switch (type) {
    case SQLITE_NULL:
      return 0;
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
      return 1;
    case SQLITE_TEXT:
      return 2;
    default:
      return 3;
  }
}

// Orders one key column the way ORDER BY with BINARY collation does.
int compare_key(sqlite3_stmt* a, sqlite3_stmt* b, int col) {
  const int ta = sqlite3_column_type(a, col), tb = sqlite3_column_type(b, col);
  if (type_rank(ta) != type_rank(tb)) return type_rank(ta) < type_rank(tb) ? -1 : 1;
  if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER) {
    const int64_t x = sqlite3_column_int64(a, col), y = sqlite3_column_int64(b, col);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (type_rank(ta) == 1) {
    const double x = sqlite3_column_double(a, col), y = sqlite3_column_double(b, col);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (ta == SQLITE_NULL) return 0;
  const void* pa = ta == SQLITE_TEXT ? static_cast<const void*>(sqlite3_column_text(a, col))
                                     : sqlite3_column_blob(a, col);
  const void* pb = tb == SQLITE_TEXT ? static_cast<const void*>(sqlite3_column_text(b, col))
                                     : sqlite3_column_blob(b, col);
  const int na = sqlite3_column_bytes(a, col), nb = sqlite3_column_bytes(b, col);
  const int c = std::memcmp(pa, pb, static_cast<size_t>(std::min(na, nb)));
  if (c != 0) return c < 0 ? -1 : 1;
  return na < nb ? -1 : (na > nb ? 1 : 0);
}

// Exact equality of one value: same storage class and same bytes (REALs bit for bit).
bool same_value(sqlite3_stmt* a, sqlite3_stmt* b, int col) {
  const int ta = sqlite3_column_type(a, col), tb = sqlite3_column_type(b, col);
  if (ta != tb) return false;
  if (ta == SQLITE_FLOAT) {
    const double x = sqlite3_column_double(a, col), y = sqlite3_column_double(b, col);
    return std::memcmp(&x, &y, sizeof x) == 0;
  }
  return compare_key(a, b, col) == 0;
}

std::string render(sqlite3_stmt* s, int col) {
  switch (sqlite3_column_type(s, col)) {
    case SQLITE_NULL:
      return "NULL";
    case SQLITE_INTEGER:
      return std::to_string(sqlite3_column_int64(s, col));
    case SQLITE_FLOAT:
      return fmt::format("{}", sqlite3_column_double(s, col));
    case SQLITE_TEXT:
      return reinterpret_cast<const char*>(sqlite3_column_text(s, col));
    default:
      return fmt::format("<blob {} bytes>", sqlite3_column_bytes(s, col));
  }
}

std::string render_key(sqlite3_stmt* s, int keys) {
  std::string key = "(";
  for (int k = 0; k < keys; ++k) key += (k ? ", " : "") + render(s, k);
  return key + ")";
}

std::string rows_sql(const Compared& c) {
  std::string sql = "SELECT ", order;
  for (size_t i = 0; i < c.columns.size(); ++i) {
    sql += (i ? ", " : "") + quoted(c.columns[i]);
    if (static_cast<int>(i) < c.keys) order += (i ? ", " : "") + quoted(c.columns[i]);
  }
  sql += " FROM " + quoted(c.table) + " WHERE client_id = ?1";
  return order.empty() ? sql : sql + " ORDER BY " + order;
}

void compare_table(sqlite3* edb, sqlite3* adb, const std::string& expected_db,
                   const std::string& actual_db, const std::string& client, const Compared& c,
                   Comparison& result, size_t max_listed) {
  Stmt e = prepare(edb, expected_db, rows_sql(c), client, c.table);
  Stmt a = prepare(adb, actual_db, rows_sql(c), client, c.table);
  const int columns = static_cast<int>(c.columns.size());
  auto note = [&](std::string text) {
    ++result.difference_count;
    if (result.differences.size() < max_listed) {
      result.differences.push_back(c.prefix + std::move(text));
    }
  };
  bool has_e = step(e.get(), edb, expected_db);
  bool has_a = step(a.get(), adb, actual_db);
  while (has_e || has_a) {
    int order = 0;
    if (!has_e) {
      order = 1;
    } else if (!has_a) {
      order = -1;
    } else {
      for (int col = 0; col < c.keys && order == 0; ++col) {
        order = compare_key(e.get(), a.get(), col);
      }
    }
    if (order < 0) {
      note("group " + render_key(e.get(), c.keys) + " missing from the incremental result");
      ++result.expected_groups;
      has_e = step(e.get(), edb, expected_db);
    } else if (order > 0) {
      note("group " + render_key(a.get(), c.keys) + " present only in the incremental result");
      ++result.actual_groups;
      has_a = step(a.get(), adb, actual_db);
    } else {
      for (int col = c.keys; col < columns; ++col) {
        if (!same_value(e.get(), a.get(), col)) {
          note(fmt::format("group {}: {} full {} vs incremental {}", render_key(e.get(), c.keys),
                           c.columns[static_cast<size_t>(col)], render(e.get(), col),
                           render(a.get(), col)));
          break;
        }
      }
      ++result.expected_groups;
      ++result.actual_groups;
      has_e = step(e.get(), edb, expected_db);
      has_a = step(a.get(), adb, actual_db);
    }
  }
}

}  // namespace

Comparison compare_client_rows(const std::string& expected_db, const std::string& actual_db,
                               const std::string& client, size_t max_listed, const Job& job) {
  Db edb = open_read_only(expected_db), adb = open_read_only(actual_db);
  Comparison result;
  for (size_t t = 0; t < job.tables.size(); ++t) {
    compare_table(edb.get(), adb.get(), expected_db, actual_db, client, compared_of(job, t), result,
                  max_listed);
  }
  return result;
}

ClientTotals read_client_totals(const std::string& path, const std::string& client) {
  Db db = open_read_only(path);
  Stmt s = prepare(db.get(), path,
                   "SELECT count(*), sum(total_quantity), max(transaction_date) "
                   "FROM processed_sales WHERE client_id = ?1",
                   client);
  ClientTotals totals;
  if (!step(s.get(), db.get(), path)) return totals;
  totals.groups = static_cast<uint64_t>(sqlite3_column_int64(s.get(), 0));
  totals.total_quantity = sqlite3_column_type(s.get(), 1) == SQLITE_INTEGER
                              ? sqlite3_column_int64(s.get(), 1)
                              : static_cast<int64_t>(sqlite3_column_double(s.get(), 1));
  switch (sqlite3_column_type(s.get(), 2)) {
    case SQLITE_TEXT:
      totals.last_date = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 2));
      break;
    case SQLITE_INTEGER:  // stored as days since the epoch
      totals.last_date = format_date(static_cast<int32_t>(sqlite3_column_int64(s.get(), 2)));
      break;
    default:
      break;
  }
  return totals;
}

}  // namespace snapdelta
