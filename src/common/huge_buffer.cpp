#include "common/huge_buffer.h"

#include <sys/mman.h>

#include <new>

namespace snapdelta {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

size_t round_up(size_t n) { return (n + kHugePage - 1) / kHugePage * kHugePage; }

}  // namespace

HugeBuffer::HugeBuffer(size_t size) : size_(size), mapped_(round_up(size == 0 ? 1 : size)) {
  // Map one huge page more than needed, keep the 2 MiB aligned part, give back the rest.
  const size_t over = mapped_ + kHugePage;
  void* raw = mmap(nullptr, over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto base = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (base + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
  if (aligned > base) munmap(raw, aligned - base);
  const uintptr_t end = base + over;
  if (end > aligned + mapped_)
    munmap(reinterpret_cast<void*>(aligned + mapped_), end - aligned - mapped_);
  data_ = reinterpret_cast<uint8_t*>(aligned);
  madvise(data_, mapped_, MADV_HUGEPAGE);  // advice only: without THP the pages stay 4 KiB
}

HugeBuffer::~HugeBuffer() { munmap(data_, mapped_); }

}  // namespace snapdelta
