#include "bench/bench_db.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "common/error.h"
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

std::vector<SalesRow> rows_of(const std::string& db, const std::string& client) {
  auto store = open_store({db, StoreOpen::existing, 60000});
  return store->client_rows(client);
}

std::string row_text(const SalesRow& r) {
  return fmt::format("({}, {}): quantity {}, revenue cents {}, orders {}", r.date, r.sku,
                     r.quantity, r.cents, r.count);
}

// Both sorted by (date, sku) bytewise: a merge walk lists missing, extra and changed groups.
Comparison compare_sorted(const std::vector<SalesRow>& want, const std::vector<SalesRow>& got,
                          size_t max_listed) {
  Comparison c;
  c.expected_groups = want.size();
  c.actual_groups = got.size();
  auto note = [&](const std::string& text) {
    ++c.difference_count;
    if (c.differences.size() < max_listed) c.differences.push_back(text);
  };
  size_t i = 0, j = 0;
  while (i < want.size() || j < got.size()) {
    const bool take_want =
        j == got.size() || (i < want.size() && std::tie(want[i].date, want[i].sku) <
                                                   std::tie(got[j].date, got[j].sku));
    const bool take_got =
        i == want.size() ||
        (j < got.size() && std::tie(got[j].date, got[j].sku) < std::tie(want[i].date, want[i].sku));
    if (take_want) {
      note("missing " + row_text(want[i++]));
    } else if (take_got) {
      note("extra " + row_text(got[j++]));
    } else {
      if (!(want[i] == got[j]))
        note("expected " + row_text(want[i]) + ", found " + row_text(got[j]));
      ++i;
      ++j;
    }
  }
  return c;
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
                        const std::string& client, size_t max_listed) {
  if (!is_postgres_uri(expected) && !is_postgres_uri(actual))
    return compare_client_rows(expected, actual, client, max_listed);
  return compare_sorted(rows_of(expected, client), rows_of(actual, client), max_listed);
}

ClientTotals client_totals(const std::string& db, const std::string& client) {
  if (!is_postgres_uri(db)) return read_client_totals(db, client);
  ClientTotals t;
  for (const SalesRow& r : rows_of(db, client)) {
    ++t.groups;
    t.total_quantity += r.quantity;
    t.last_date = std::max(t.last_date, r.date);
  }
  return t;
}

}  // namespace snapdelta::bench
