// CSV text for transaction rows, formatted by hand into a caller's byte buffer (no printf per
// field): `TXN_0000000001,2025-10-01,SKU_00042,3,123.45\n`.
// Contract: append() writes exactly one LF-terminated row of at most kMaxRowBytes bytes and returns
// the position after it. transaction ids are zero-padded to 10 digits, SKU ids to sku_digits
// (wider numbers keep all their digits); revenue is cents rendered with exactly two decimals.
#pragma once

#include <cstdint>
#include <string_view>

namespace snapdelta::generate {

inline constexpr std::string_view kCsvHeader =
    "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";

struct Row {
  uint64_t transaction_id;
  int32_t date;  // days since 1970-01-01
  uint32_t sku;
  uint32_t quantity;
  uint32_t revenue_cents;
};

class CsvRowWriter {
 public:
  // "TXN_" + 20 + "," + 10 + ",SKU_" + 10 + "," + 10 + "," + 11 + "." + 2 + "\n"
  static constexpr size_t kMaxRowBytes = 96;

  explicit CsvRowWriter(uint32_t sku_digits) : sku_digits_(sku_digits) {}

  // Digits needed for SKU ids 1..skus: 5, or more when skus > 99999.
  static uint32_t sku_digits_for(uint64_t skus);

  char* append(char* out, const Row& row);

 private:
  void cache_date(int32_t date);

  uint32_t sku_digits_;
  int32_t cached_date_ = INT32_MIN;
  char date_text_[10] = {};
};

// Writes v in decimal, zero-padded to at least `width` digits; returns the end.
char* write_padded(char* out, uint64_t v, uint32_t width);
// Writes v in decimal without padding; returns the end.
char* write_uint(char* out, uint64_t v);

}  // namespace snapdelta::generate
