#include "common/number_text.h"

namespace snapdelta {
namespace {

bool is_digit(char c) { return static_cast<unsigned char>(c - '0') <= 9; }

// Appends digit `c` to the magnitude `v`; false when it would pass `limit`.
bool append_digit(uint64_t& v, char c, uint64_t limit) {
  const auto d = static_cast<uint64_t>(c - '0');
  if (v > (limit - d) / 10) return false;
  v = v * 10 + d;
  return true;
}

}  // namespace

bool parse_int_text(std::string_view t, int64_t* out) {
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

bool parse_decimal_text(std::string_view t, uint8_t scale, int64_t* out) {
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
    for (++i; i < t.size() && is_digit(t[i]) && fraction_digits < scale; ++i, ++fraction_digits) {
      if (!append_digit(v, t[i], kMaxDecimalUnits)) return false;
    }
    if (fraction_digits == 0 || i != t.size()) return false;
  }
  for (; fraction_digits < scale; ++fraction_digits) {
    if (!append_digit(v, '0', kMaxDecimalUnits)) return false;
  }
  *out = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

}  // namespace snapdelta
