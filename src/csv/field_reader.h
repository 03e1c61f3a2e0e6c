// FieldReader: reads one field's text as the value of the job column it feeds, the way
// JobGroups::add_row() takes it (job_groups.h): a date's day number, an int's value, a decimal's
// count of 10^-scale units, a string's id (interned by the caller).
// Contract: fast() is the parser's common case, inline: it reads [b, e), where the 8 bytes before
// e are readable when e - 8 >= readable_begin, and returns false (changing nothing but the date
// cache) on anything it does not take, valid or not; fast_date(), fast_int() and fast_decimal() are
// fast() for a caller that has dispatched on kind() already. parse() takes any text and returns
// false exactly when the text is not a value of the column; expected() then says what was. Ints and
// decimals are what common/number_text.h accepts (infer guesses types by the same rule); dates are
// what the column's DateFormat parses.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/date.h"
#include "common/number_text.h"
#include "csv/swar_digits.h"
#include "job/date_format.h"
#include "job/job.h"

namespace snapdelta {

class FieldReader {
 public:
  FieldReader(const Column& column, uint32_t column_index, uint32_t field);

  ColumnKind kind() const { return kind_; }
  uint32_t column() const { return column_; }
  uint32_t field() const { return field_; }
  const std::string& name() const { return name_; }

  inline bool fast(const char* b, const char* e, const char* readable_begin, int64_t* out);
  inline bool fast_date(const char* b, const char* e, int64_t* out);
  inline bool fast_int(const char* b, const char* e, const char* readable_begin, int64_t* out);
  inline bool fast_decimal(const char* b, const char* e, const char* readable_begin, int64_t* out);
  bool parse(std::string_view text, int64_t* out);
  std::string expected(std::string_view text) const;

 private:
  bool parse_date_text(std::string_view text, int32_t* days) const;
  bool parse_decimal(std::string_view text, int64_t* out) const;

  ColumnKind kind_;
  uint8_t scale_;
  bool iso_date_;  // "%Y-%m-%d": common/date.h's parse_date, the fastest
  uint32_t column_;
  uint32_t field_;
  std::string name_;
  DateFormat format_;
  uint64_t frac_mask_ = 0;  // decimal, 1 <= scale <= 6: the top `scale` bytes of 8
  uint64_t int_mask_ = 0;   // the bytes the integer digits land on once the '.' is taken out
  // One-entry date cache: consecutive rows mostly share a date.
  static constexpr size_t kCache = 32;
  char last_date_text_[kCache] = {};
  size_t last_date_size_ = SIZE_MAX;  // nothing cached yet
  int32_t last_date_ = 0;
};

[[gnu::always_inline]] inline bool FieldReader::fast(const char* b, const char* e,
                                                     const char* readable_begin, int64_t* out) {
  switch (kind_) {
    case ColumnKind::date:
      return fast_date(b, e, out);
    case ColumnKind::int64:
      return fast_int(b, e, readable_begin, out);
    case ColumnKind::decimal:
      return fast_decimal(b, e, readable_begin, out);
    case ColumnKind::string:
      break;
  }
  return false;  // strings are interned by the caller
}

[[gnu::always_inline]] inline bool FieldReader::fast_date(const char* b, const char* e,
                                                          int64_t* out) {
  const auto n = static_cast<size_t>(e - b);
  if (n == 10 && last_date_size_ == 10) {
    if (std::memcmp(b, last_date_text_, 10) == 0) {
      *out = last_date_;
      return true;
    }
  } else if (n == last_date_size_ && std::memcmp(b, last_date_text_, n) == 0) {
    *out = last_date_;
    return true;
  }
  int32_t days;
  if (!parse_date_text(std::string_view(b, n), &days)) return false;
  if (n <= kCache) {
    std::memcpy(last_date_text_, b, n);
    last_date_size_ = n;
    last_date_ = days;
  }
  *out = days;
  return true;
}

[[gnu::always_inline]] inline bool FieldReader::fast_int(const char* b, const char* e,
                                                         const char* readable_begin, int64_t* out) {
  const char* p = b;
  const bool negative = p < e && *p == '-';
  p += negative;
  const auto digits = static_cast<size_t>(e - p);
  int64_t q;
  if (digits == 1) {  // the usual case, cheaper alone
    q = *p - '0';
    if (q < 0 || q > 9) return false;
  } else if (digits - 1 < 8 && e - 8 >= readable_begin) {
    uint64_t v;
    if (!detail::swar_digits(detail::load8_before(e), digits, &v)) return false;
    q = static_cast<int64_t>(v);
  } else {
    if (digits == 0 || digits > 18) return false;  // 19 digits may pass int64: parse() judges
    q = 0;
    for (; p < e; ++p) {
      const auto d = static_cast<unsigned>(*p - '0');
      if (d > 9) return false;
      q = q * 10 + d;
    }
  }
  *out = negative ? -q : q;
  return true;
}

// "units.ff" with exactly `scale` fraction digits and at most 8 digits in all is one 8-byte
// conversion of the digits with the '.' taken out; any other spelling goes to parse_decimal.
[[gnu::always_inline]] inline bool FieldReader::fast_decimal(const char* b, const char* e,
                                                             const char* readable_begin,
                                                             int64_t* out) {
  const char* r = b;
  const bool negative = r < e && *r == '-';
  r += negative;
  const auto size = static_cast<size_t>(e - r);
  if (frac_mask_ != 0 && size - (scale_ + 2) <= 6u - scale_ && e[-1 - scale_] == '.' &&
      e - 8 >= readable_begin) {
    const uint64_t x = detail::load8_before(e);
    uint64_t v;
    if (!detail::swar_digits((x & frac_mask_) | ((x << 8) & int_mask_), size - 1, &v)) {
      return false;
    }
    *out = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
    return true;
  }
  return parse_decimal(std::string_view(b, static_cast<size_t>(e - b)), out);
}

}  // namespace snapdelta
