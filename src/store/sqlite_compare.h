// sqlite_compare: one client's rows of every table of a job, read straight from a database file
// with the SQLite C API, to judge two pipelines' results against each other.
// Contract: compare_client_rows() walks, table by table in the job's order, both databases' rows
// for the client in key order and compares every key column (decimal keys by their units) and
// every measure as a reader sees it (decimals by their generated readable column) by SQLite type
// and exact value (REALs bit for bit); for the built-in job: date, sku, total_quantity,
// total_revenue, order_count. It lists the first `max_listed` differences (prefixed "table T: "
// when the job has more than one table) and counts them all; groups are counted over all tables.
// Databases are opened read-only; a missing file or table throws Error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "job/builtin_job.h"
#include "job/job.h"

namespace snapdelta {

struct Comparison {
  uint64_t expected_groups = 0;
  uint64_t actual_groups = 0;
  uint64_t difference_count = 0;
  std::vector<std::string> differences;  // the first few, human readable

  bool exact() const { return difference_count == 0; }
};

Comparison compare_client_rows(const std::string& expected_db, const std::string& actual_db,
                               const std::string& client, size_t max_listed = 10,
                               const Job& job = builtin_job());

struct ClientTotals {
  uint64_t groups = 0;
  int64_t total_quantity = 0;
  std::string last_date;  // max(transaction_date) as YYYY-MM-DD, "" when the client has no rows
};

ClientTotals read_client_totals(const std::string& db, const std::string& client);

}  // namespace snapdelta
