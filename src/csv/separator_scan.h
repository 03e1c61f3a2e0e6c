// find_separators: the parser's first pass over a window of CSV bytes (SIMD, 64 bytes at a time).
// Contract: find_separators(begin, end, out) writes the offsets (from `begin`) of every ',', '\n'
// and '"' in [begin, end) to `out`, in increasing order, and returns how many there are. `out`
// must hold end - begin + 8 entries: up to 8 entries past the count are written as scratch and
// mean nothing. It reads only [begin, end). On x86-64 it uses AVX2 (with BMI and POPCNT) when the
// CPU has them, checked once at run time; otherwise, or when `portable` is set (tests compare the
// two), SSE2 (plain C++ where there is no SSE2). Every path gives the same result. The overload
// with Separators finds that delimiter and quote instead of ',' and '"' (a job's CSV format).
#pragma once

#include <cstddef>
#include <cstdint>

namespace snapdelta::detail {

struct Separators {
  char delimiter = ',';
  char quote = '"';
};

size_t find_separators(const char* begin, const char* end, uint32_t* out, bool portable = false);
size_t find_separators(const char* begin, const char* end, uint32_t* out, Separators separators,
                       bool portable = false);

}  // namespace snapdelta::detail
