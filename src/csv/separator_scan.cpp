#include "csv/separator_scan.h"

#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace snapdelta {
namespace {

using detail::Separators;

// Separator mask of 64 bytes: bit i set when p[i] is the delimiter, '\n' or the quote.
inline uint64_t separator_mask(const char* p, Separators s) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(s.delimiter);
  const __m128i nl = _mm_set1_epi8('\n');
  const __m128i quote = _mm_set1_epi8(s.quote);
  uint64_t m = 0;
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, nl)),
                                     _mm_cmpeq_epi8(v, quote));
    m |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(hit))) << (16 * i);
  }
  return m;
#else
  uint64_t m = 0;
  for (int i = 0; i < 64; ++i) {
    m |= static_cast<uint64_t>(p[i] == s.delimiter || p[i] == '\n' || p[i] == s.quote) << i;
  }
  return m;
#endif
}

// std::popcount compiles to a libgcc call without -mpopcnt (the x86-64 baseline has no POPCNT).
inline int popcount64(uint64_t x) {
  x -= (x >> 1) & 0x5555555555555555ull;
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return static_cast<int>((x * 0x0101010101010101ull) >> 56);
}

// Writes offset + the index of each of the `count` set bits of `mask` to o[0..count), in order,
// eight at a time without a branch per bit: past the count, the sentinel bit 63 keeps the
// count-trailing-zeros defined (up to 8 such entries are written past o[count], never read).
[[gnu::always_inline]] inline void flatten(uint64_t mask, int count, uint32_t offset, uint32_t* o) {
  for (int k = 0; k == 0 || k < count; k += 8) {
    for (int i = 0; i < 8; ++i) {
      o[k + i] = offset + static_cast<uint32_t>(__builtin_ctzll(mask | (1ull << 63)));
      mask &= mask - 1;
    }
  }
}

size_t find_separators_portable(const char* begin, const char* end, uint32_t* out, Separators s) {
  size_t n = 0;
  for (const char* block = begin; block < end; block += 64) {
    uint64_t mask;
    if (end - block >= 64) {
      mask = separator_mask(block, s);
    } else {
      alignas(16) char tail[64] = {};
      std::memcpy(tail, block, static_cast<size_t>(end - block));
      mask = separator_mask(tail, s);
    }
    const int count = popcount64(mask);
    flatten(mask, count, static_cast<uint32_t>(block - begin), out + n);
    n += static_cast<size_t>(count);
  }
  return n;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) inline uint64_t separator_mask_avx2(const char* p, Separators s) {
  const __m256i comma = _mm256_set1_epi8(s.delimiter);
  const __m256i nl = _mm256_set1_epi8('\n');
  const __m256i quote = _mm256_set1_epi8(s.quote);
  uint64_t m = 0;
  for (int i = 0; i < 2; ++i) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * i));
    const __m256i hit =
        _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, comma), _mm256_cmpeq_epi8(v, nl)),
                        _mm256_cmpeq_epi8(v, quote));
    m |= static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(hit))) << (32 * i);
  }
  return m;
}

// find_separators_portable with AVX2 compares and BMI/POPCNT bit work: about twice as fast.
__attribute__((target("avx2,bmi,popcnt"))) size_t find_separators_avx2(const char* begin,
                                                                       const char* end,
                                                                       uint32_t* out,
                                                                       Separators s) {
  size_t n = 0;
  for (const char* block = begin; block < end; block += 64) {
    uint64_t mask;
    if (end - block >= 64) {
      mask = separator_mask_avx2(block, s);
    } else {
      alignas(32) char tail[64] = {};
      std::memcpy(tail, block, static_cast<size_t>(end - block));
      mask = separator_mask_avx2(tail, s);
    }
    const int count = __builtin_popcountll(mask);
    flatten(mask, count, static_cast<uint32_t>(block - begin), out + n);
    n += static_cast<size_t>(count);
  }
  return n;
}
#endif

}  // namespace

namespace detail {

size_t find_separators(const char* begin, const char* end, uint32_t* out, bool portable) {
  return find_separators(begin, end, out, Separators{}, portable);
}

size_t find_separators(const char* begin, const char* end, uint32_t* out, Separators s,
                       bool portable) {
#if defined(__x86_64__)
  static const bool avx2 = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
           __builtin_cpu_supports("popcnt");
  }();
  if (avx2 && !portable) return find_separators_avx2(begin, end, out, s);
#endif
  return find_separators_portable(begin, end, out, s);
}

}  // namespace detail

}  // namespace snapdelta
