#include "source/hash_combine.h"

#include <array>

namespace snapdelta {
namespace {

constexpr uint64_t kPoly = 0xC96C5795D7870F42ull;  // ECMA-182, reflected
constexpr uint64_t kOne = 1ull << 63;              // x^0 in the reflected representation

// a * b modulo the polynomial.
constexpr uint64_t multmodp(uint64_t a, uint64_t b) {
  uint64_t m = kOne, p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) == 0) break;
    }
    m >>= 1;
    b = b & 1 ? (b >> 1) ^ kPoly : b >> 1;
  }
  return p;
}

// x^(2^k) modulo the polynomial, k = 0..63.
constexpr std::array<uint64_t, 64> make_x2n() {
  std::array<uint64_t, 64> t{};
  uint64_t p = kOne >> 1;  // x^1
  for (auto& v : t) {
    v = p;
    p = multmodp(p, p);
  }
  return t;
}
constexpr std::array<uint64_t, 64> kX2n = make_x2n();

// x^(n * 2^k) modulo the polynomial.
uint64_t x2nmodp(uint64_t n, unsigned k) {
  uint64_t p = kOne;
  while (n) {
    if (n & 1) p = multmodp(kX2n[k & 63], p);
    n >>= 1;
    ++k;
  }
  return p;
}

}  // namespace

uint64_t hash64_combine(uint64_t hash_a, uint64_t hash_b, uint64_t length_b) {
  return multmodp(x2nmodp(length_b, 3), hash_a) ^ hash_b;
}

}  // namespace snapdelta
