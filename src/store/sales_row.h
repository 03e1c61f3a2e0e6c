// SalesRow: one row of processed_sales for a client, as every store reads it back.
// Contract: `date` is 'YYYY-MM-DD'; quantity, cents and count are the exact integer sums.
#pragma once

#include <cstdint>
#include <string>

namespace snapdelta {

struct SalesRow {
  std::string date;
  std::string sku;
  int64_t quantity = 0;
  int64_t cents = 0;
  int64_t count = 0;
  bool operator==(const SalesRow&) const = default;
};

}  // namespace snapdelta
