#include "common/money.h"

#include <fmt/format.h>

namespace snapdelta {

namespace {
constexpr int64_t kMaxCents = 90'000'000'000'000'000;  // 9e16: sums of 100 such values fit int64
}  // namespace

bool parse_cents(std::string_view t, int64_t* cents) {
  size_t i = 0;
  bool negative = false;
  if (i < t.size() && t[i] == '-') {
    negative = true;
    ++i;
  }
  const size_t int_start = i;
  int64_t units = 0;
  while (i < t.size() && static_cast<unsigned>(t[i] - '0') <= 9) {
    if (i - int_start >= 15) return false;  // keeps units * 100 far from int64 overflow
    units = units * 10 + (t[i] - '0');
    ++i;
  }
  if (i == int_start) return false;
  int64_t frac = 0;
  if (i < t.size()) {
    if (t[i] != '.') return false;
    ++i;
    const size_t frac_start = i;
    while (i < t.size() && static_cast<unsigned>(t[i] - '0') <= 9 && i - frac_start < 2) {
      frac = frac * 10 + (t[i] - '0');
      ++i;
    }
    const size_t frac_digits = i - frac_start;
    if (frac_digits == 0 || i != t.size()) return false;
    if (frac_digits == 1) frac *= 10;
  }
  const int64_t value = units * 100 + frac;
  if (value > kMaxCents) return false;
  *cents = negative ? -value : value;
  return true;
}

std::string format_cents(int64_t cents) {
  const bool negative = cents < 0;
  const uint64_t v =
      negative ? static_cast<uint64_t>(-(cents + 1)) + 1 : static_cast<uint64_t>(cents);
  return fmt::format("{}{}.{:02d}", negative ? "-" : "", v / 100, v % 100);
}

}  // namespace snapdelta
