#include "bench/bench_db.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "aggregate/table_diff.h"
#include "common/date.h"
#include "common/error.h"
#include "job/builtin_job.h"
#include "store/open_store.h"
#include "store/pg_conn.h"
#include "store/pg_uri.h"

namespace snapdelta::bench {
namespace {

bool plain_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Every table's rows of a client, through the store (a PostgreSQL server, or SQLite).
std::vector<std::vector<TableRow>> tables_of(const std::string& db, const std::string& client,
                                             const Job& job) {
  auto store = open_store({db, StoreOpen::existing, 60000}, job);
  std::vector<std::vector<TableRow>> tables;
  for (size_t t = 0; t < job.tables.size(); ++t) tables.push_back(store->table_rows(client, t));
  return tables;
}

}  // namespace

BenchDb::BenchDb(const ScratchDir& scratch, std::string server_uri)
    : scratch_(scratch), server_(std::move(server_uri)) {
  if (!server_.empty() && !is_postgres_uri(server_))
    fail("--db", "expected a postgresql:// URI, found " + quote_found(server_));
}

BenchDb::~BenchDb() {
  for (const auto& [location, name] : databases_) {
    try {
      admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (const Error&) {  // the server went away: nothing left to drop
    }
  }
}

std::string BenchDb::server_shown() const { return postgres() ? redact_uri(server_) : ""; }

std::string BenchDb::location(const std::string& name) {
  if (!plain_name(name))
    fail("BenchDb", "expected a name of [a-z0-9_], found " + quote_found(name));
  if (!postgres()) return scratch_.file(name + ".db");
  const std::string database = fmt::format("sdbench_{}_{}", ::getpid(), name);
  const std::string uri = uri_with_database(server_, database);
  databases_.emplace(uri, database);
  return uri;
}

void BenchDb::admin(const std::string& sql) const {
  PgConn conn(server_, PgConnectOptions{});
  conn.exec(sql.c_str(), "bench database");
}

const std::string& BenchDb::database_of(const std::string& location) const {
  const auto it = databases_.find(location);
  if (it == databases_.end())
    fail(redact_uri(location), "expected a database made by this bench, found another");
  return it->second;
}

void BenchDb::fresh(const std::string& location) {
  if (!postgres() || !is_postgres_uri(location)) return remove_database(location);
  const std::string& name = database_of(location);
  admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  admin("CREATE DATABASE " + name);
}

void BenchDb::copy(const std::string& from, const std::string& to) {
  if (!postgres() || !is_postgres_uri(to)) return copy_database(from, to);
  const std::string& name = database_of(to);
  admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  admin("CREATE DATABASE " + name + " TEMPLATE " + database_of(from));
}

void BenchDb::remove(const std::string& location) {
  if (!postgres() || !is_postgres_uri(location)) return remove_database(location);
  admin("DROP DATABASE IF EXISTS " + database_of(location) + " WITH (FORCE)");
}

Comparison compare_rows(const std::string& expected, const std::string& actual,
                        const std::string& client, const Job& job, size_t max_listed) {
  if (!is_postgres_uri(expected) && !is_postgres_uri(actual))
    return compare_client_rows(expected, actual, client, max_listed, job);
  const auto want = tables_of(expected, client, job);
  const auto got = tables_of(actual, client, job);
  Comparison c;
  for (size_t t = 0; t < job.tables.size(); ++t) {
    c.expected_groups += want[t].size();
    c.actual_groups += got[t].size();
    c.difference_count +=
        table_differences(job, job.tables[t], want[t], got[t], max_listed, c.differences);
  }
  return c;
}

ClientTotals client_totals(const std::string& db, const std::string& client, const Job& job) {
  if (!is_postgres_uri(db) && job == builtin_job()) return read_client_totals(db, client);
  ClientTotals t;
  const auto tables = tables_of(db, client, job);
  for (const auto& rows : tables) t.groups += rows.size();
  if (job != builtin_job()) return t;
  // processed_sales: (date, sku) keys, then total_quantity.
  int32_t last = 0;
  for (const TableRow& r : tables[0]) {
    t.total_quantity += r[2].number;
    last = std::max(last, static_cast<int32_t>(r[0].number));
  }
  if (!tables[0].empty()) t.last_date = format_date(last);
  return t;
}

}  // namespace snapdelta::bench
