// GrowArray<T>: an array of trivially copyable T that grows at its end to a length nobody knows
// beforehand (a table's groups), without copying or faulting its pages in again as it grows once
// large. Small, it lives on the heap (realloc, capacity doubling). From kRegionBytes on it moves,
// once, into a reserved range of address space (grow_region.h) that is made writable as it grows,
// on transparent huge pages where the kernel allows them: on the virtual machines measured here a
// fresh 4 KiB page costs 10-25 us to fault in, and a heap vector doubling to 2.4 MB faulted in
// about 1,200 of them (every doubling copies into fresh pages) where this takes a few.
// Contract: data()[0..size()) are the elements; extend(n) appends n elements whose values are
// unspecified (the caller writes them) and returns a pointer to the first; pointers into the
// array are invalidated by extend(). Out of memory throws std::bad_alloc. Not copyable; movable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

#include "common/grow_region.h"

namespace snapdelta {

template <class T>
class GrowArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  // Arrays at least this large live in a GrowRegion.
  static constexpr size_t kRegionBytes = size_t{256} << 10;

  GrowArray() = default;
  ~GrowArray() { std::free(heap_); }
  GrowArray(GrowArray&& o) noexcept
      : heap_(std::exchange(o.heap_, nullptr)),
        region_(std::move(o.region_)),
        data_(std::exchange(o.data_, nullptr)),
        size_(std::exchange(o.size_, 0)),
        capacity_(std::exchange(o.capacity_, 0)) {}
  GrowArray& operator=(GrowArray&& o) noexcept {
    if (this != &o) {
      std::free(heap_);
      heap_ = std::exchange(o.heap_, nullptr);
      region_ = std::move(o.region_);
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
      capacity_ = std::exchange(o.capacity_, 0);
    }
    return *this;
  }
  GrowArray(const GrowArray&) = delete;
  GrowArray& operator=(const GrowArray&) = delete;

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

  T* extend(size_t n) {
    if (size_ + n > capacity_) grow(size_ + n);
    T* at = data_ + size_;
    size_ += n;
    return at;
  }

 private:
  void grow(size_t need) {
    size_t capacity = capacity_ == 0 ? 64 : capacity_ * 2;
    while (capacity < need) capacity *= 2;
    if (capacity * sizeof(T) < kRegionBytes) {
      void* p = std::realloc(heap_, capacity * sizeof(T));
      if (p == nullptr) throw std::bad_alloc();
      heap_ = p;
      data_ = static_cast<T*>(p);
    } else {
      const bool from_heap = !region_.reserved();
      region_.commit(capacity * sizeof(T));
      if (from_heap) {
        if (size_ != 0) std::memcpy(region_.data(), data_, size_ * sizeof(T));
        std::free(std::exchange(heap_, nullptr));
      }
      data_ = static_cast<T*>(static_cast<void*>(region_.data()));
    }
    capacity_ = capacity;
  }

  void* heap_ = nullptr;
  GrowRegion region_;
  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace snapdelta
