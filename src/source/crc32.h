// CRC-32 (the zip and gzip checksum) of byte ranges, and of two ranges joined.
// Contract: crc32_of(crc, bytes) continues `crc` over the bytes (ISA-L's folded CRC);
// crc32_join(crc_a, crc_b, len_b) is the CRC-32 of A followed by B from the CRCs of each (zlib's
// crc32_combine64).
#pragma once

#include <cstddef>
#include <cstdint>

namespace snapdelta {

uint32_t crc32_of(uint32_t crc, const void* data, size_t size);
uint32_t crc32_join(uint32_t crc_a, uint32_t crc_b, uint64_t length_b);

}  // namespace snapdelta
