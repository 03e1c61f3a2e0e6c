#include "common/grow_region.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

namespace snapdelta {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

size_t round_up(size_t n) { return (n + kHugePage - 1) / kHugePage * kHugePage; }

// `bytes` (a multiple of kHugePage) of address space, kHugePage aligned, with no access and no
// memory behind it.
uint8_t* map_aligned(size_t bytes) {
  const size_t over = bytes + kHugePage;
  void* raw = mmap(nullptr, over, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
  if (aligned > start) munmap(raw, aligned - start);
  const uintptr_t end = start + over;
  if (end > aligned + bytes)
    munmap(reinterpret_cast<void*>(aligned + bytes), end - aligned - bytes);
  return reinterpret_cast<uint8_t*>(aligned);
}

}  // namespace

GrowRegion::~GrowRegion() { release(); }

GrowRegion::GrowRegion(GrowRegion&& o) noexcept
    : min_reserve_(o.min_reserve_),
      base_(std::exchange(o.base_, nullptr)),
      reserved_(std::exchange(o.reserved_, 0)),
      committed_(std::exchange(o.committed_, 0)) {}

GrowRegion& GrowRegion::operator=(GrowRegion&& o) noexcept {
  if (this != &o) {
    release();
    min_reserve_ = o.min_reserve_;
    base_ = std::exchange(o.base_, nullptr);
    reserved_ = std::exchange(o.reserved_, 0);
    committed_ = std::exchange(o.committed_, 0);
  }
  return *this;
}

void GrowRegion::release() {
  if (base_ != nullptr) munmap(base_, reserved_);
  base_ = nullptr;
  reserved_ = committed_ = 0;
}

void GrowRegion::reserve(size_t bytes) {
  const size_t size = round_up(std::max(min_reserve_, 2 * bytes));
  uint8_t* next = map_aligned(size);
  madvise(next, size, MADV_HUGEPAGE);  // advice only: without THP the pages stay 4 KiB
  if (committed_ != 0) {
    if (mprotect(next, committed_, PROT_READ | PROT_WRITE) != 0) {
      munmap(next, size);
      throw std::bad_alloc();
    }
    std::memcpy(next, base_, committed_);
  }
  const size_t kept = committed_;
  release();
  base_ = next;
  reserved_ = size;
  committed_ = kept;
}

void GrowRegion::commit(size_t bytes) {
  if (bytes <= committed_) return;
  const size_t want = round_up(bytes);
  if (want > reserved_) reserve(want);
  if (mprotect(base_ + committed_, want - committed_, PROT_READ | PROT_WRITE) != 0) {
    throw std::bad_alloc();
  }
  committed_ = want;
}

}  // namespace snapdelta
