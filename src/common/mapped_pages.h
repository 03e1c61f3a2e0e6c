// MappedPages: an anonymous private mapping of its own: zero bytes from the kernel, resident only
// where touched, unmapped whole by the destructor (never kept in the heap after it is freed).
// Contract: data() holds size() zero bytes (page aligned; empty: null). Movable, not copyable.
// Out of memory throws std::bad_alloc.
#pragma once

#include <cstddef>
#include <utility>

namespace snapdelta {

class MappedPages {
 public:
  MappedPages() = default;
  explicit MappedPages(size_t size);
  ~MappedPages();
  MappedPages(MappedPages&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  MappedPages& operator=(MappedPages&& o) noexcept {
    if (this != &o) {
      release();
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }
  MappedPages(const MappedPages&) = delete;
  MappedPages& operator=(const MappedPages&) = delete;

  void* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  void release();

  void* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace snapdelta
