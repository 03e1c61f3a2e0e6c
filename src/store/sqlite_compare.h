// sqlite_compare: one client's rows of processed_sales, read straight from a database file with the
// SQLite C API, to judge two pipelines' results against each other.
// Contract: compare_client_rows() walks both databases' rows for the client in
// (transaction_date, sku_id) order and compares every column — date, sku, total_quantity,
// total_revenue, order_count — by SQLite type and exact value (REALs bit for bit). It lists the
// first `max_listed` differences and counts them all. Databases are opened read-only; a missing
// file or table throws Error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace snapdelta {

struct Comparison {
  uint64_t expected_groups = 0;
  uint64_t actual_groups = 0;
  uint64_t difference_count = 0;
  std::vector<std::string> differences;  // the first few, human readable

  bool exact() const { return difference_count == 0; }
};

Comparison compare_client_rows(const std::string& expected_db, const std::string& actual_db,
                               const std::string& client, size_t max_listed = 10);

struct ClientTotals {
  uint64_t groups = 0;
  int64_t total_quantity = 0;
  std::string last_date;  // max(transaction_date) as YYYY-MM-DD, "" when the client has no rows
};

ClientTotals read_client_totals(const std::string& db, const std::string& client);

}  // namespace snapdelta
