#include "common/mapped_pages.h"

#include <sys/mman.h>

#include <new>

namespace snapdelta {

MappedPages::MappedPages(size_t size) : size_(size) {
  if (size == 0) return;
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  data_ = p;
}

MappedPages::~MappedPages() { release(); }

void MappedPages::release() {
  if (data_ != nullptr) munmap(data_, size_);
  data_ = nullptr;
  size_ = 0;
}

}  // namespace snapdelta
