#include "store/open_store.h"

#include <sys/stat.h>

#include "store/sqlite_store.h"

namespace snapdelta {

bool store_exists(const StoreOptions& o) {
  struct stat st {};
  return ::stat(o.db.c_str(), &st) == 0;
}

std::unique_ptr<Store> open_store(const StoreOptions& o) {
  return std::make_unique<SqliteStore>(o.db, o.open, o.busy_timeout_ms);
}

}  // namespace snapdelta
