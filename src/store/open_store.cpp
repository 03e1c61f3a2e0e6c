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

namespace {

// An existing store is held to its job at once (or rebuilt for this one); a new one at its
// first write.
// The store held to its job, or rebuilt for it when asked.
template <class ConcreteStore>
void hold_to_job(ConcreteStore& store, const StoreOptions& o) {
  if (o.job_change == JobChange::rebuild) {
    store.allow_rebuild();
  } else {
    store.check_job();
  }
}

template <class ConcreteStore>
std::unique_ptr<Store> opened(std::unique_ptr<ConcreteStore> store, const StoreOptions& o,
                              bool exists) {
  if (exists) hold_to_job(*store, o);
  return store;
}

}  // namespace

std::unique_ptr<Store> open_store(const StoreOptions& o, const Job& job) {
  refuse_unknown_scheme(o.db);
  if (is_postgres_uri(o.db)) {
    return opened(std::make_unique<PostgresStore>(o.db, o.busy_timeout_ms, job), o, true);
  }
  const bool exists = store_exists(o);
  return opened(std::make_unique<SqliteStore>(o.db, o.open, o.busy_timeout_ms, job), o, exists);
}

void check_store(const StoreOptions& o, const Job& job) {
  if (!store_exists(o)) return;
  if (is_postgres_uri(o.db)) {
    PostgresStore store(o.db, o.busy_timeout_ms, job);
    hold_to_job(store, o);
    store.require_schema();
  } else {
    SqliteStore store(o.db, StoreOpen::existing, o.busy_timeout_ms, job);
    hold_to_job(store, o);
    store.require_schema();
  }
}

std::string init_store(const StoreOptions& o, const Job& job) {
  refuse_unknown_scheme(o.db);
  if (is_postgres_uri(o.db)) {
    PostgresStore store(o.db, o.busy_timeout_ms, job);
    store.init();
    return store.describe();
  }
  SqliteStore store(o.db, StoreOpen::create_if_missing, o.busy_timeout_ms, job);
  store.init();
  return store.describe();
}

}  // namespace snapdelta
