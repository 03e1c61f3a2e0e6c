// Content hashing for the state's self-proof: CRC-64/ECMA (reflected) from ISA-L, which folds with
// carry-less multiplies at several GB/s (faster here than XXH3's portable build), over byte ranges,
// in one shot or streamed. Not cryptographic: it proves a file was not changed by accident.
// Contract: Hasher fed any split of the same bytes yields the same digest as hash64 of the whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace snapdelta {

uint64_t hash64(const void* data, size_t size);
// hash64 of the bytes that follow those `crc` is the hash of.
uint64_t hash64_continue(uint64_t crc, const void* data, size_t size);

class Hasher {
 public:
  void reset() { crc_ = 0; }
  void update(const void* data, size_t size) { crc_ = hash64_continue(crc_, data, size); }
  void update(std::string_view s) { update(s.data(), s.size()); }
  uint64_t digest() const { return crc_; }

 private:
  uint64_t crc_ = 0;
};

}  // namespace snapdelta
