#include "common/number_text.h"

#include <algorithm>

namespace snapdelta {
namespace {

bool is_digit(char c) { return static_cast<unsigned char>(c - '0') <= 9; }

}  // namespace

bool parse_int_text(std::string_view t, int64_t* out) {
  size_t i = !t.empty() && t[0] == '-' ? 1 : 0;
  const bool negative = i == 1;
  if (i == t.size() || t.size() - i > kMaxIntDigits) return false;
  int64_t v = 0;
  for (; i < t.size(); ++i) {
    if (!is_digit(t[i])) return false;
    v = v * 10 + (t[i] - '0');
  }
  *out = negative ? -v : v;
  return true;
}

bool parse_decimal_text(std::string_view t, uint8_t scale, int64_t* out) {
  size_t i = !t.empty() && t[0] == '-' ? 1 : 0;
  const bool negative = i == 1;
  const size_t int_start = i;
  const size_t max_int_digits = std::max(1, 17 - int{scale});
  int64_t v = 0;
  for (; i < t.size() && is_digit(t[i]); ++i) {
    if (i - int_start >= max_int_digits) return false;
    v = v * 10 + (t[i] - '0');
  }
  if (i == int_start) return false;
  size_t fraction_digits = 0;
  if (i < t.size()) {
    if (t[i] != '.') return false;
    for (++i; i < t.size() && is_digit(t[i]) && fraction_digits < scale; ++i, ++fraction_digits) {
      if (v > kMaxDecimalUnits) return false;
      v = v * 10 + (t[i] - '0');
    }
    if (fraction_digits == 0 || i != t.size()) return false;
  }
  for (; fraction_digits < scale; ++fraction_digits) {
    if (v > kMaxDecimalUnits) return false;
    v *= 10;
  }
  if (v > kMaxDecimalUnits) return false;
  *out = negative ? -v : v;
  return true;
}

}  // namespace snapdelta
