#include "pipeline/db_session.h"

#include <sys/stat.h>
#include <unistd.h>

namespace snapdelta {

DbSession::DbSession(const std::string& path, int busy_timeout_ms) : path_(path) {
  struct stat st {};
  created_ = ::stat(path.c_str(), &st) != 0;
  store_ = std::make_unique<SqliteStore>(path, true, busy_timeout_ms);
}

DbSession::~DbSession() {
  bool empty = false;
  try {
    empty = created_ && !ok_ && !store_->has_schema();
  } catch (...) {
    empty = false;
  }
  store_.reset();
  if (empty) {
    ::unlink(path_.c_str());
    ::unlink((path_ + "-wal").c_str());
    ::unlink((path_ + "-shm").c_str());
  }
}

}  // namespace snapdelta
