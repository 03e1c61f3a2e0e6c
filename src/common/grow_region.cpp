#include "common/grow_region.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

#include "common/huge_mapping.h"

namespace snapdelta {

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
  const size_t size = round_up_huge(std::max(min_reserve_, 2 * bytes));
  uint8_t* next = map_huge_aligned(size, PROT_NONE, MAP_NORESERVE);
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
  const size_t want = round_up_huge(bytes);
  if (want > reserved_) reserve(want);
  if (mprotect(base_ + committed_, want - committed_, PROT_READ | PROT_WRITE) != 0) {
    throw std::bad_alloc();
  }
  committed_ = want;
}

}  // namespace snapdelta
