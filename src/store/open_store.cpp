#include "store/open_store.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include "common/error.h"
#include "common/near_miss.h"
#include "store/pg_uri.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"

namespace snapdelta {
namespace {

void refuse_unknown_scheme(const std::string& db) {
  const size_t at = db.find("://");
  if (at == std::string::npos || is_postgres_uri(db)) return;
  const std::string scheme = db.substr(0, at + 3);
  fail("--db", fmt::format("expected an SQLite file or a postgresql:// or postgres:// URI, found "
                           "\"{}\"{}",
                           scheme, did_you_mean(scheme, {"postgresql://", "postgres://"})));
}

}  // namespace

bool store_exists(const StoreOptions& o) {
  refuse_unknown_scheme(o.db);
  if (is_postgres_uri(o.db)) return true;
  struct stat st {};
  return ::stat(o.db.c_str(), &st) == 0;
}

std::unique_ptr<Store> open_store(const StoreOptions& o) {
  refuse_unknown_scheme(o.db);
  if (is_postgres_uri(o.db)) return std::make_unique<PostgresStore>(o.db, o.busy_timeout_ms);
  return std::make_unique<SqliteStore>(o.db, o.open, o.busy_timeout_ms);
}

void check_store(const StoreOptions& o) {
  if (!store_exists(o)) return;
  if (is_postgres_uri(o.db)) {
    PostgresStore(o.db, o.busy_timeout_ms).require_schema();
  } else {
    SqliteStore(o.db, StoreOpen::existing, o.busy_timeout_ms).require_schema();
  }
}

std::string init_store(const StoreOptions& o) {
  refuse_unknown_scheme(o.db);
  if (is_postgres_uri(o.db)) {
    PostgresStore store(o.db, o.busy_timeout_ms);
    store.init();
    return store.describe();
  }
  SqliteStore store(o.db, StoreOpen::create_if_missing, o.busy_timeout_ms);
  store.init();
  return store.describe();
}

}  // namespace snapdelta
