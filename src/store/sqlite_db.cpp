#include "store/sqlite_db.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "common/error.h"

namespace snapdelta {
namespace {

// What a failed call means, in words, from SQLite's extended result code and the errno behind it.
std::string fault_words(int code, int system_errno, int busy_timeout_ms, const char* sqlite_msg) {
  const std::string cause = system_errno != 0 ? std::string(std::strerror(system_errno)) : "";
  const int primary = code & 0xff;
  if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_FULL) {
    // The operating system's reason says more than SQLite's class of failure.
    if (system_errno == ENOSPC || system_errno == EDQUOT) return "disk full";
    if (system_errno == EFBIG) return "file size limit reached (" + cause + ")";
    if (system_errno == EROFS) return "read-only (" + cause + ")";
  }
  switch (primary) {
    case SQLITE_FULL:
      return "disk full";
    case SQLITE_READONLY:
      return "read-only (the file, its directory or the file system does not allow writing)";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return fmt::format("locked by another process for longer than --busy-timeout-ms ({} ms)",
                         busy_timeout_ms);
    case SQLITE_CANTOPEN:
      return cause.empty() ? "cannot open or create the file"
                           : "cannot open or create the file: " + cause;
    case SQLITE_IOERR:
      return cause.empty() ? "input/output error" : "input/output error: " + cause;
    case SQLITE_CORRUPT:
      return "the database file is damaged";
    case SQLITE_NOTADB:
      return "not an SQLite database";
    case SQLITE_NOMEM:
      return "out of memory";
    default:
      return sqlite_msg;
  }
}

// "DB: expected a database, found no such file in DIR (...)" when `path` does not exist.
void require_existing(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 || (errno != ENOENT && errno != ENOTDIR)) return;
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(path, ec).lexically_normal().parent_path();
  fail(path, fmt::format("expected a database, found no such file in {} (run snapdelta sync "
                         "(or run) first, or pass --db)",
                         dir.string()));
}

}  // namespace

SqliteDb::SqliteDb(std::string path, bool create, int busy_timeout_ms) : path_(std::move(path)) {
  // No global memory statistics: they take a mutex on every allocation (~4% of an upsert). Only
  // possible before SQLite initializes; if something initialized it first, this is a no-op.
  static const bool configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  (void)configured;
  if (!create) require_existing(path_);
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string words =
        fault_words(db_ ? sqlite3_extended_errcode(db_) : rc, db_ ? sqlite3_system_errno(db_) : 0,
                    busy_timeout_ms, db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    if (db_) sqlite3_close(db_);
    db_ = nullptr;
    fail(path_, "cannot open database: " + words);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  busy_timeout_ms_ = busy_timeout_ms;
}

SqliteDb::~SqliteDb() {
  for (const auto& [sql, stmt] : idle_) sqlite3_finalize(stmt);
  if (db_) sqlite3_close_v2(db_);
}

sqlite3_stmt* SqliteDb::take_prepared(const std::string& sql) {
  if (auto it = idle_.find(sql); it != idle_.end()) {
    sqlite3_stmt* stmt = it->second;
    idle_.erase(it);
    return stmt;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
      SQLITE_OK) {
    sqlite3_finalize(stmt);
    raise(fmt::format("cannot prepare \"{}\"", std::string_view(sql).substr(0, 60)));
  }
  return stmt;
}

void SqliteDb::keep_prepared(std::string sql, sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  // Another Statement of the same text may have been returned first (nested use): keep one.
  if (!idle_.try_emplace(std::move(sql), stmt).second) sqlite3_finalize(stmt);
}

void SqliteDb::raise(std::string_view what) const {
  fail(path_, fmt::format("{}: {}", what,
                          fault_words(sqlite3_extended_errcode(db_), sqlite3_system_errno(db_),
                                      busy_timeout_ms_, sqlite3_errmsg(db_))));
}

void SqliteDb::exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    raise(fmt::format("database statement failed ({})", std::string_view(sql).substr(0, 60)));
  }
}

void SqliteDb::exec_when_free(const char* sql) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms_);
  for (;;) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return;
    const int primary = rc & 0xff;
    if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) ||
        std::chrono::steady_clock::now() >= deadline) {
      raise(fmt::format("database statement failed ({})", std::string_view(sql).substr(0, 60)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

Statement::Statement(SqliteDb& db, const char* sql)
    : db_(db), sql_(sql), stmt_(db.take_prepared(sql_)) {}

Statement::~Statement() { db_.keep_prepared(std::move(sql_), stmt_); }

Statement& Statement::bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}

Statement& Statement::bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}

Statement& Statement::bind_real(int i, double v) {
  sqlite3_bind_double(stmt_, i, v);
  return *this;
}

Statement& Statement::bind_blob(int i, const void* data, size_t size) {
  sqlite3_bind_blob64(stmt_, i, data, size, SQLITE_STATIC);
  return *this;
}

Statement& Statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.raise("database write failed");
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}

std::string Statement::blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}

WriteTransaction::WriteTransaction(SqliteDb& db) : db_(db) {
  if (sqlite3_exec(db.handle(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    db.raise("cannot take the database write lock");
  }
}

WriteTransaction::~WriteTransaction() {
  if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void WriteTransaction::commit() {
  if (sqlite3_exec(db_.handle(), "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    db_.raise("commit failed");
  }
  open_ = false;
}

Savepoint::Savepoint(SqliteDb& db, const char* name) : db_(db), name_(name) {
  db_.exec(("SAVEPOINT " + name_).c_str());
}

void Savepoint::rollback() { db_.exec(("ROLLBACK TO " + name_).c_str()); }

}  // namespace snapdelta
