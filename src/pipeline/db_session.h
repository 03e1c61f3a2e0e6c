// DbSession: opens the run's database, creating it only when needed, and removes a database this
// run created if the run fails, so that a failed first run leaves no file behind.
// Contract: construct, do the work, call succeeded(); destruction without succeeded() after this
// session created the file deletes the file and its -wal/-shm companions.
#pragma once

#include <memory>
#include <string>

#include "store/sqlite_store.h"

namespace snapdelta {

class DbSession {
 public:
  DbSession(const std::string& path, int busy_timeout_ms);
  ~DbSession();
  SqliteStore& store() { return *store_; }
  void succeeded() { ok_ = true; }

 private:
  std::string path_;
  bool created_ = false;
  bool ok_ = false;
  std::unique_ptr<SqliteStore> store_;
};

}  // namespace snapdelta
