#include "common/huge_buffer.h"

#include <sys/mman.h>

#include "common/huge_mapping.h"

namespace snapdelta {

HugeBuffer::HugeBuffer(size_t size)
    : data_(map_huge_aligned(size, PROT_READ | PROT_WRITE, 0)),
      size_(size),
      mapped_(round_up_huge(size == 0 ? 1 : size)) {}

HugeBuffer::~HugeBuffer() { munmap(data_, mapped_); }

}  // namespace snapdelta
