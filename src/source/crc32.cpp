#include "source/crc32.h"

#include <isa-l/crc.h>
#include <zlib.h>

namespace snapdelta {

uint32_t crc32_of(uint32_t crc, const void* data, size_t size) {
  return crc32_gzip_refl(crc, static_cast<const unsigned char*>(data), size);
}

uint32_t crc32_join(uint32_t crc_a, uint32_t crc_b, uint64_t length_b) {
  return static_cast<uint32_t>(crc32_combine64(crc_a, crc_b, static_cast<z_off64_t>(length_b)));
}

}  // namespace snapdelta
