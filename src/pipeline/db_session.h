// DbSession: opens the run's database, creating the file when it is missing.
// Contract: a session never deletes a database, not even one it created, because another run may
// already hold it open: the pipelines read their input fully before the first open of a missing
// database, so bad input never creates one; only a database-level failure (lock timeout, full
// disk) can leave an empty, schema-less file behind, which the next run simply uses.
#pragma once

#include <memory>
#include <string>

#include "store/sqlite_store.h"

namespace snapdelta {

class DbSession {
 public:
  DbSession(const std::string& path, int busy_timeout_ms)
      : store_(std::make_unique<SqliteStore>(path, true, busy_timeout_ms)) {}
  SqliteStore& store() { return *store_; }

 private:
  std::unique_ptr<SqliteStore> store_;
};

}  // namespace snapdelta
