// HugeBuffer: a zeroed, writable buffer for memory a run fills once and whole (a decoder's window),
// placed on transparent huge pages where the kernel allows them (madvise MADV_HUGEPAGE on a 2 MiB
// aligned mapping). On the virtual machines measured here a fresh 4 KiB page costs 10-25 us to
// fault in, and a 2 MiB huge page about as much as one of them: a 2 MiB window is 512 faults, or
// one. Without huge pages (THP off, or another kernel) it is an ordinary anonymous mapping.
// Contract: data() is 2 MiB aligned and holds size() zero bytes; the mapping (size rounded up to
// whole huge pages) is resident only where touched and is unmapped by the destructor. Out of memory
// throws std::bad_alloc. Not for small buffers: each costs at least one 2 MiB page once touched.
#pragma once

#include <cstddef>
#include <cstdint>

namespace snapdelta {

class HugeBuffer {
 public:
  explicit HugeBuffer(size_t size);
  ~HugeBuffer();
  HugeBuffer(const HugeBuffer&) = delete;
  HugeBuffer& operator=(const HugeBuffer&) = delete;

  uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t mapped_ = 0;
};

}  // namespace snapdelta
