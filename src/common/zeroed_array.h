// ZeroedArray<T>: n zero-valued elements of a trivial T in one piece, never resized (an index
// rebuilt whole when it grows). Large ones (kMappedBytes on) are pages of their own, zeroed by the
// kernel and resident only once touched, given back whole when freed: a 600 KB index rebuilt a
// few times over a run no longer memsets every cell nor leaves its old copies in the heap (a full
// run's peak memory 2-3 MiB lower). Small ones come from the heap.
// Contract: data()[0..size()) are zero when made; movable, not copyable; an empty one holds no
// memory. Out of memory throws std::bad_alloc.
#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>

#include "common/mapped_pages.h"

namespace snapdelta {

template <class T>
class ZeroedArray {
  static_assert(std::is_trivial_v<T>);

 public:
  static constexpr size_t kMappedBytes = size_t{256} << 10;

  ZeroedArray() = default;
  explicit ZeroedArray(size_t n) : size_(n) {
    if (n * sizeof(T) >= kMappedBytes) {
      pages_ = MappedPages(n * sizeof(T));
      data_ = static_cast<T*>(pages_.data());
    } else if (n != 0) {
      small_ = std::make_unique<T[]>(n);  // value-initialized: zero
      data_ = small_.get();
    }
  }
  ZeroedArray(ZeroedArray&& o) noexcept
      : small_(std::move(o.small_)),
        pages_(std::move(o.pages_)),
        data_(std::exchange(o.data_, nullptr)),
        size_(std::exchange(o.size_, 0)) {}
  ZeroedArray& operator=(ZeroedArray&& o) noexcept {
    if (this != &o) {
      small_ = std::move(o.small_);
      pages_ = std::move(o.pages_);
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }

 private:
  std::unique_ptr<T[]> small_;
  MappedPages pages_;
  T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace snapdelta
