#include "csv/field_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "common/error.h"

namespace snapdelta {
namespace {

constexpr uint64_t kMaxDecimalUnits = INT64_MAX;  // a decimal's units fill an int64

bool is_digit(char c) { return static_cast<unsigned char>(c - '0') <= 9; }

bool all_digits(std::string_view t) {
  size_t i = !t.empty() && t[0] == '-' ? 1 : 0;
  if (i == t.size()) return false;
  for (; i < t.size(); ++i) {
    if (!is_digit(t[i])) return false;
  }
  return true;
}

// Appends digit `c` to the magnitude `v`; false when it would pass `limit`.
bool append_digit(uint64_t& v, char c, uint64_t limit) {
  const auto d = static_cast<uint64_t>(c - '0');
  if (v > (limit - d) / 10) return false;
  v = v * 10 + d;
  return true;
}

// An optionally negative integer within int64 filling the whole text.
bool parse_int(std::string_view t, int64_t* out) {
  size_t i = !t.empty() && t[0] == '-' ? 1 : 0;
  const bool negative = i == 1;
  if (i == t.size()) return false;
  const uint64_t limit = negative ? uint64_t{1} << 63 : uint64_t{INT64_MAX};
  uint64_t v = 0;
  for (; i < t.size(); ++i) {
    if (!is_digit(t[i]) || !append_digit(v, t[i], limit)) return false;
  }
  *out = static_cast<int64_t>(negative ? uint64_t{0} - v : v);  // 2^63 wraps to INT64_MIN
  return true;
}

// An optional '-', digits, and an optional '.' with 1 to `scale` digits: a decimal of the column
// but for its size.
bool decimal_shape(std::string_view t, uint8_t scale) {
  size_t i = !t.empty() && t[0] == '-' ? 1 : 0;
  const size_t int_start = i;
  while (i < t.size() && is_digit(t[i])) ++i;
  if (i == int_start) return false;
  if (i == t.size()) return true;
  if (t[i] != '.') return false;
  const size_t frac_start = ++i;
  while (i < t.size() && is_digit(t[i])) ++i;
  return i == t.size() && i > frac_start && i - frac_start <= scale;
}

// kMaxDecimalUnits as a decimal of `scale` fraction digits: "92233720368547758.07" for scale 2.
std::string max_decimal_text(uint8_t scale) {
  std::string digits = std::to_string(kMaxDecimalUnits);
  if (scale == 0) return digits;
  if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
  digits.insert(digits.size() - scale, ".");
  return digits;
}

// "%Y-%m-%d" as "YYYY-MM-DD": the date format the way a person reads it.
std::string readable_format(const std::string& format) {
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 == format.size()) {
      out += format[i];
      continue;
    }
    const char f = format[++i];
    out += f == 'Y' ? "YYYY" : f == 'm' ? "MM" : f == 'd' ? "DD" : f == 'j' ? "DDD" : "%";
  }
  return out;
}

}  // namespace

FieldReader::FieldReader(const Column& column, uint32_t column_index, uint32_t field)
    : kind_(column.type.kind),
      scale_(column.type.scale),
      iso_date_(column.type.kind == ColumnKind::date &&
                column.type.date_format == kDefaultDateFormat),
      column_(column_index),
      field_(field),
      name_(column.name) {
  if (kind_ == ColumnKind::date) {
    format_ = *DateFormat::compile(column.type.date_format);  // a valid job's format compiles
  }
  if (kind_ == ColumnKind::decimal && scale_ >= 1 && scale_ <= 6) {
    frac_mask_ = ~uint64_t{0} << (8 * (8 - scale_));
    int_mask_ = ((uint64_t{1} << (8 * (8 - scale_))) - 1) & ~uint64_t{0xFF};
  }
}

bool FieldReader::parse_date_text(std::string_view text, int32_t* days) const {
  if (iso_date_) return parse_date(text, days);
  const std::optional<int32_t> d = format_.parse(text);
  if (!d) return false;
  *days = *d;
  return true;
}

bool FieldReader::parse_decimal(std::string_view t, int64_t* out) const {
  size_t i = !t.empty() && t[0] == '-' ? 1 : 0;
  const bool negative = i == 1;
  const size_t int_start = i;
  uint64_t v = 0;
  for (; i < t.size() && is_digit(t[i]); ++i) {
    if (!append_digit(v, t[i], kMaxDecimalUnits)) return false;
  }
  if (i == int_start) return false;
  size_t fraction_digits = 0;
  if (i < t.size()) {
    if (t[i] != '.') return false;
    for (++i; i < t.size() && is_digit(t[i]) && fraction_digits < scale_; ++i, ++fraction_digits) {
      if (!append_digit(v, t[i], kMaxDecimalUnits)) return false;
    }
    if (fraction_digits == 0 || i != t.size()) return false;
  }
  for (; fraction_digits < scale_; ++fraction_digits) {
    if (!append_digit(v, '0', kMaxDecimalUnits)) return false;
  }
  *out = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

bool FieldReader::parse(std::string_view text, int64_t* out) {
  switch (kind_) {
    case ColumnKind::date: {
      int32_t days;
      if (!parse_date_text(text, &days)) return false;
      *out = days;
      return true;
    }
    case ColumnKind::int64:
      return parse_int(text, out);
    case ColumnKind::decimal:
      return parse_decimal(text, out);
    case ColumnKind::string:
      break;
  }
  return false;
}

std::string FieldReader::expected(std::string_view text) const {
  switch (kind_) {
    case ColumnKind::date:
      return "a valid date " + readable_format(format_.text());
    case ColumnKind::int64:
      return all_digits(text) ? "an integer from -9223372036854775808 to 9223372036854775807"
                              : "an integer";
    case ColumnKind::decimal:
      if (decimal_shape(text, scale_)) {
        return fmt::format("a decimal of magnitude at most {}", max_decimal_text(scale_));
      }
      return fmt::format("a decimal with at most {} fraction digits", scale_);
    case ColumnKind::string:
      break;
  }
  return "a string";
}

}  // namespace snapdelta
