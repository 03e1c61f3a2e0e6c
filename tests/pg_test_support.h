// PostgreSQL for the tests (header-only): the server comes from SNAPDELTA_TEST_PG (scripts/test.sh
// starts one and sets it); each test takes a fresh database of its own on it, so tests run in
// parallel. Rows are read back with libpq directly, not through PostgresStore.
// Without SNAPDELTA_TEST_PG a PostgreSQL test fails (it never skips) saying how to get a server.
#pragma once

#include <libpq-fe.h>

#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/pg_uri.h"
#include "test_support.h"

namespace snapdelta::test {

// The server URI the tests use; throws with the way to get one when there is none.
inline std::string test_pg_server() {
  const char* uri = std::getenv("SNAPDELTA_TEST_PG");
  if (uri == nullptr || *uri == '\0') {
    throw std::runtime_error(
        "SNAPDELTA_TEST_PG is not set: run scripts/test.sh (it starts a PostgreSQL server for "
        "the tests) or set SNAPDELTA_TEST_PG to a postgresql:// URI of a role that may create "
        "databases");
  }
  return uri;
}

inline std::string random_name(const std::string& prefix) {
  std::random_device rd;
  std::mt19937_64 rng((static_cast<uint64_t>(rd()) << 32) ^ rd());
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return prefix + buf;
}

// A libpq connection for raw statements; every failure throws with the server's message.
class PgRaw {
 public:
  explicit PgRaw(const std::string& uri) : conn_(PQconnectdb(uri.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      const std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw std::runtime_error("test connection to " + redact_uri(uri) + " failed: " + msg);
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  ~PgRaw() { PQfinish(conn_); }
  PgRaw(const PgRaw&) = delete;
  PgRaw& operator=(const PgRaw&) = delete;

  void exec(const std::string& sql) { query(sql); }

  // Every row as text cells (NULL as "NULL"); `param` binds $1 when given.
  std::vector<std::vector<std::string>> query(const std::string& sql,
                                              const std::string* param = nullptr) {
    const char* values[1] = {param != nullptr ? param->c_str() : nullptr};
    PGresult* r = param != nullptr
                      ? PQexecParams(conn_, sql.c_str(), 1, nullptr, values, nullptr, nullptr, 0)
                      : PQexec(conn_, sql.c_str());
    const ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
      const std::string msg = PQresultErrorMessage(r);
      PQclear(r);
      throw std::runtime_error("test query failed: " + msg + " in " + sql);
    }
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < PQntuples(r); ++i) {
      std::vector<std::string> row;
      for (int j = 0; j < PQnfields(r); ++j)
        row.push_back(PQgetisnull(r, i, j) ? "NULL" : PQgetvalue(r, i, j));
      rows.push_back(std::move(row));
    }
    PQclear(r);
    return rows;
  }

  // The client's processed_sales rows ordered by (date, sku), bytewise; none without the table.
  std::vector<RefRow> rows(const std::string& client) {
    if (query("SELECT to_regclass('processed_sales') IS NULL")[0][0] == "t") return {};
    std::vector<RefRow> out;
    for (const auto& r :
         query("SELECT to_char(transaction_date, 'YYYY-MM-DD'), sku_id, total_quantity, "
               "total_revenue_cents, order_count FROM processed_sales WHERE client_id = $1 "
               "ORDER BY transaction_date, sku_id COLLATE \"C\"",
               &client)) {
      out.push_back(RefRow{r[0], r[1], std::stoll(r[2]), std::stoll(r[3]), std::stoll(r[4])});
    }
    return out;
  }

 private:
  PGconn* conn_;
};

// A fresh database on the test server, dropped (connections and all) when the object dies.
class PgTestDatabase {
 public:
  PgTestDatabase() : server_(test_pg_server()), name_(random_name("t_")) {
    PgRaw(server_).exec("CREATE DATABASE " + name_);
    uri_ = uri_with_database(server_, name_);
  }
  ~PgTestDatabase() {
    try {
      PgRaw(server_).exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;
  const std::string& uri() const { return uri_; }
  const std::string& server() const { return server_; }
  const std::string& name() const { return name_; }

 private:
  std::string server_;
  std::string name_;
  std::string uri_;
};

}  // namespace snapdelta::test
