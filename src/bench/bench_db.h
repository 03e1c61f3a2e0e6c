// BenchDb: where a bench's scratch databases live — SQLite files in its ScratchDir, or, when the
// bench is given a PostgreSQL server (--db postgresql://...), databases of their own on that
// server, created and dropped through its URI.
// Contract: location(name) is what a child gets as --db: the file <scratch>/<name>.db, or the
// server URI naming the database sdbench_<pid>_<name> (name: [a-z0-9_]). fresh() empties a
// location (SQLite: removes the file and its side files; PostgreSQL: DROP DATABASE ... WITH
// (FORCE), then CREATE DATABASE); copy(from, to) makes `to` an independent copy of `from`
// (PostgreSQL: CREATE DATABASE to TEMPLATE from, nobody connected to `from`); remove() drops it.
// An SQLite location may also be a file outside the scratch directory (a cached state). The
// destructor drops every PostgreSQL database this object created; errors throw snapdelta::Error.
// compare_rows() judges a client's rows in every table of `job` in two locations of any kind:
// SQLite against SQLite column by column with SQLite types (store/sqlite_compare.h), otherwise
// through Store::table_rows (exact units; table_diff.h). client_totals() reads a client's group
// count over the job's tables and, for the built-in job, its total quantity and last date.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "bench/scratch_dir.h"
#include "job/job.h"
#include "store/sqlite_compare.h"

namespace snapdelta::bench {

class BenchDb {
 public:
  // server_uri "" = SQLite files in `scratch`.
  BenchDb(const ScratchDir& scratch, std::string server_uri);
  ~BenchDb();
  BenchDb(const BenchDb&) = delete;
  BenchDb& operator=(const BenchDb&) = delete;

  bool postgres() const { return !server_.empty(); }
  // The server as messages may show it (password redacted), or "" for SQLite.
  std::string server_shown() const;
  std::string location(const std::string& name);
  void fresh(const std::string& location);
  void copy(const std::string& from, const std::string& to);
  void remove(const std::string& location);

 private:
  void admin(const std::string& sql) const;
  const std::string& database_of(const std::string& location) const;

  const ScratchDir& scratch_;
  std::string server_;
  std::map<std::string, std::string> databases_;  // PostgreSQL location -> database name
};

// A client's rows in two databases (file paths or postgresql:// URIs), compared.
Comparison compare_rows(const std::string& expected, const std::string& actual,
                        const std::string& client, const Job& job, size_t max_listed = 10);
ClientTotals client_totals(const std::string& db, const std::string& client, const Job& job);

}  // namespace snapdelta::bench
