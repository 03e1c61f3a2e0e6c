#include "common/huge_mapping.h"

#include <sys/mman.h>

#include <new>

namespace snapdelta {

uint8_t* map_huge_aligned(size_t bytes, int prot, int flags) {
  const size_t size = round_up_huge(bytes == 0 ? 1 : bytes);
  // Map one huge page more than needed, keep the 2 MiB aligned part, give back the rest.
  const size_t over = size + kHugePage;
  void* raw = mmap(nullptr, over, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
  if (aligned > start) munmap(raw, aligned - start);
  const uintptr_t end = start + over;
  if (end > aligned + size) munmap(reinterpret_cast<void*>(aligned + size), end - aligned - size);
  auto* data = reinterpret_cast<uint8_t*>(aligned);
  madvise(data, size, MADV_HUGEPAGE);
  return data;
}

}  // namespace snapdelta
