// Mappings laid out for transparent huge pages: 2 MiB aligned and a whole number of 2 MiB pages,
// so every page of them can be a huge one (huge_buffer.h, grow_region.h).
// Contract: map_huge_aligned(bytes, prot, flags) maps round_up_huge(bytes) bytes of anonymous
// private memory with `prot` and the extra mmap `flags`, 2 MiB aligned, advised MADV_HUGEPAGE
// (advice only: without THP the pages stay 4 KiB); the caller unmaps round_up_huge(bytes) bytes.
// A failed mapping throws std::bad_alloc.
#pragma once

#include <cstddef>
#include <cstdint>

namespace snapdelta {

inline constexpr size_t kHugePage = size_t{2} << 20;

inline constexpr size_t round_up_huge(size_t n) {
  return (n + kHugePage - 1) / kHugePage * kHugePage;
}

uint8_t* map_huge_aligned(size_t bytes, int prot, int flags);

}  // namespace snapdelta
