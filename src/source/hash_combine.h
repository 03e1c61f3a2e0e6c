// hash64_combine: the hash64 (source/hash.h) of A followed by B, from hash64(A), hash64(B) and
// B's length, without the bytes (zlib's crc32_combine method, for CRC-64/ECMA reflected). So
// pieces of one long range can be hashed on several threads and joined.
// Contract: hash64_combine(hash64(a), hash64(b), |b|) == hash64(a || b) for all a, b; O(log |b|).
#pragma once

#include <cstdint>

namespace snapdelta {

uint64_t hash64_combine(uint64_t hash_a, uint64_t hash_b, uint64_t length_b);

}  // namespace snapdelta
