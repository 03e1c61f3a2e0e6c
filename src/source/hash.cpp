#include "source/hash.h"

#include <isa-l/crc64.h>

namespace snapdelta {

uint64_t hash64(const void* data, size_t size) { return hash64_continue(0, data, size); }

uint64_t hash64_continue(uint64_t crc, const void* data, size_t size) {
  return crc64_ecma_refl(crc, static_cast<const unsigned char*>(data), size);
}

}  // namespace snapdelta
