#include "store/open_store.h"

#include <sys/stat.h>

#include "store/pg_uri.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"

namespace snapdelta {

bool store_exists(const StoreOptions& o) {
  if (is_postgres_uri(o.db)) return true;
  struct stat st {};
  return ::stat(o.db.c_str(), &st) == 0;
}

std::unique_ptr<Store> open_store(const StoreOptions& o) {
  if (is_postgres_uri(o.db)) return std::make_unique<PostgresStore>(o.db, o.busy_timeout_ms);
  return std::make_unique<SqliteStore>(o.db, o.open, o.busy_timeout_ms);
}

std::string init_store(const StoreOptions& o) {
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
