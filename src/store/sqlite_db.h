// Thin RAII wrappers over the SQLite C API: a connection, prepared statements, a write transaction.
// Contract: every failure throws snapdelta::Error "DBPATH: <what>: <fault>", the fault in words
// (disk full, read-only, locked by another process for longer than --busy-timeout-ms (N ms),
// cannot open or create the file, input/output error, damaged, not an SQLite database), SQLite's
// own message only for faults without words here. Opening without `create` a file that does not
// exist is "DBPATH: expected a database, found no such file in DIR (...)". A
// WriteTransaction starts with BEGIN IMMEDIATE (the write lock is taken before anything is read)
// and rolls back unless commit() succeeded, so an exception or a crash leaves the database as it
// was. A Savepoint marks a point inside a transaction that rollback() returns to (the transaction
// stays open); unless rolled back, its changes belong to the enclosing transaction. A Statement
// reuses the connection's prepared statement of the same SQL text when one is idle (preparing is
// a sizeable share of a small run); on destruction it is reset, unbound and kept for the next.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace snapdelta {

class Statement;

class SqliteDb {
 public:
  SqliteDb(std::string path, bool create, int busy_timeout_ms);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  void exec(const char* sql);
  // exec(), retrying while the database is busy or locked, up to the busy timeout. For statements
  // SQLite's busy handler does not cover, such as switching a new database to WAL while another
  // connection does the same.
  void exec_when_free(const char* sql);
  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  int busy_timeout_ms() const { return busy_timeout_ms_; }
  [[noreturn]] void raise(std::string_view what) const;

 private:
  friend class Statement;
  sqlite3_stmt* take_prepared(const std::string& sql);
  void keep_prepared(std::string sql, sqlite3_stmt* stmt);

  std::string path_;
  sqlite3* db_ = nullptr;
  int busy_timeout_ms_ = 0;
  std::unordered_map<std::string, sqlite3_stmt*> idle_;
};

class Statement {
 public:
  Statement(SqliteDb& db, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, int64_t v);
  Statement& bind(int i, std::string_view v);  // bytes must outlive step()
  Statement& bind_real(int i, double v);
  Statement& bind_blob(int i, const void* data, size_t size);
  Statement& bind_null(int i);
  bool step();  // true: a row is ready; false: done
  void reset();
  int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  std::string text(int col) const;
  std::string blob(int col) const;
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  SqliteDb& db_;
  std::string sql_;
  sqlite3_stmt* stmt_ = nullptr;
};

class WriteTransaction {
 public:
  explicit WriteTransaction(SqliteDb& db);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

 private:
  SqliteDb& db_;
  bool open_ = true;
};

class Savepoint {
 public:
  Savepoint(SqliteDb& db, const char* name);
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;
  void rollback();

 private:
  SqliteDb& db_;
  std::string name_;
};

}  // namespace snapdelta
