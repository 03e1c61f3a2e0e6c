#include "generate/csv_writer.h"

#include <cstring>

#include "common/date.h"

namespace snapdelta::generate {

static uint32_t digit_count(uint64_t v) {
  uint32_t n = 1;
  while (v >= 10) {
    v /= 10;
    ++n;
  }
  return n;
}

char* write_padded(char* out, uint64_t v, uint32_t width) {
  const uint32_t digits = digit_count(v);
  const uint32_t n = digits > width ? digits : width;
  for (uint32_t i = n; i > 0; --i) {
    out[i - 1] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return out + n;
}

char* write_uint(char* out, uint64_t v) { return write_padded(out, v, 1); }

uint32_t CsvRowWriter::sku_digits_for(uint64_t skus) {
  const uint32_t digits = digit_count(skus);
  return digits > 5 ? digits : 5;
}

void CsvRowWriter::cache_date(int32_t date) {
  if (date == cached_date_) return;
  format_date_to(date, date_text_);
  cached_date_ = date;
}

char* CsvRowWriter::append(char* out, const Row& row) {
  cache_date(row.date);
  std::memcpy(out, "TXN_", 4);
  out = write_padded(out + 4, row.transaction_id, 10);
  *out++ = ',';
  std::memcpy(out, date_text_, 10);
  std::memcpy(out + 10, ",SKU_", 5);
  out = write_padded(out + 15, row.sku, sku_digits_);
  *out++ = ',';
  out = write_uint(out, row.quantity);
  *out++ = ',';
  out = write_uint(out, row.revenue_cents / 100);
  *out++ = '.';
  out = write_padded(out, row.revenue_cents % 100, 2);
  *out++ = '\n';
  return out;
}

}  // namespace snapdelta::generate
