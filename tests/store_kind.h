// A store under test, SQLite or PostgreSQL by name, for tests that run on both (header-only).
// Contract: db() is what --db takes (a file path or a postgresql:// URI of a fresh database,
// dropped afterwards); open() opens it through open_store (creating an SQLite file); query() and
// rows() read it independently of the store code (SQLite C API, libpq), empty when nothing is
// there yet.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pg_test_support.h"
#include "store/open_store.h"
#include "test_support.h"

namespace snapdelta::test {

class StoreKind {
 public:
  explicit StoreKind(const std::string& kind) : postgres_(kind == "postgres") {
    if (postgres_) {
      pg_.emplace();
      db_ = pg_->uri();
    } else {
      db_ = dir_ / "s.db";
    }
  }
  bool postgres() const { return postgres_; }
  const std::string& db() const { return db_; }
  // A directory for files the test makes (data, captured output).
  const TempDir& dir() const { return dir_; }
  const PgTestDatabase& pg() const { return *pg_; }

  std::unique_ptr<Store> open(int busy_timeout_ms = 10000) const {
    return open_store(StoreOptions{db_, StoreOpen::create_if_missing, busy_timeout_ms});
  }

  std::vector<std::vector<std::string>> query(const std::string& sql) const {
    if (postgres_) return PgRaw(db_).query(sql);
    if (!std::filesystem::exists(db_)) return {};
    return Sqlite(db_).query(sql);
  }
  void exec(const std::string& sql) const {
    if (postgres_) {
      PgRaw(db_).exec(sql);
    } else {
      Sqlite(db_, true).exec(sql);
    }
  }
  std::vector<RefRow> rows(const std::string& client) const {
    if (postgres_) return PgRaw(db_).rows(client);
    if (!std::filesystem::exists(db_)) return {};
    return db_rows(db_, client);
  }

 private:
  bool postgres_;
  TempDir dir_{"store"};
  std::optional<PgTestDatabase> pg_;
  std::string db_;
};

}  // namespace snapdelta::test
