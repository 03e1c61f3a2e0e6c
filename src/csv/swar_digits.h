// Digit runs read eight bytes at a time, for the parsers' fast paths.
// Contract: load8_before(end) is the 8 bytes before `end` (all must be readable) as a
// little-endian word; swar_digits(x, n, &v) sets v to the value of the decimal digits in the top n
// (1..8) bytes of x (the first digit is byte 8 - n) and returns true, or returns false when one of
// them is not a digit; the bytes below the top n are ignored.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

namespace snapdelta::detail {

[[gnu::always_inline]] inline uint64_t load8_before(const char* end) {
  uint64_t x;
  std::memcpy(&x, end - 8, 8);
  return x;
}

[[gnu::always_inline]] inline bool swar_digits(uint64_t x, size_t n, uint64_t* value) {
  // kBelow[n]: the bytes below the top n, which become '0's.
  static constexpr auto kBelow = [] {
    std::array<uint64_t, 9> m{};
    for (size_t k = 1; k <= 8; ++k) m[k] = (uint64_t{1} << (8 * (8 - k))) - 1;
    return m;
  }();
  x ^= (x ^ 0x3030303030303030ull) & kBelow[n];
  // Every byte is '0'..'9' iff its high nibble is 3, also after adding 6 (no carry can cross a
  // byte once every high nibble is 3).
  if (((x & 0xF0F0F0F0F0F0F0F0ull) |
       (((x + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) >> 4)) != 0x3333333333333333ull) {
    return false;
  }
  x -= 0x3030303030303030ull;
  x = x * 10 + (x >> 8);  // pairs of digits
  x = ((x & 0x000000FF000000FFull) * (100 + (1000000ull << 32)) +
       ((x >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32))) >>
      32;
  *value = x;
  return true;
}

}  // namespace snapdelta::detail
