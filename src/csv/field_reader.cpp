#include "csv/field_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "common/number_text.h"

namespace snapdelta {
namespace {

bool is_digit(char c) { return static_cast<unsigned char>(c - '0') <= 9; }

bool all_digits(std::string_view t) {
  size_t i = !t.empty() && t[0] == '-' ? 1 : 0;
  if (i == t.size()) return false;
  for (; i < t.size(); ++i) {
    if (!is_digit(t[i])) return false;
  }
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
  return parse_decimal_text(t, scale_, out);
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
      return parse_int_text(text, out);
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
