// XXH64 (seed 0), streamed: the hash whose low 32 bits a zstd frame's content checksum holds
// (RFC 8878, 3.1.1). The zstd block decoder (zstd_reader.h) computes it itself because libzstd
// computes it only inside its frame decoder.
// Contract: Xxh64 fed any split of the same bytes yields the XXH64 of the whole (reference
// algorithm, xxHash 0.8); update() with size 0 is a no-op.
#pragma once

#include <cstddef>
#include <cstdint>

namespace snapdelta {

class Xxh64 {
 public:
  Xxh64();
  void update(const uint8_t* data, size_t size);
  uint64_t digest() const;

 private:
  uint64_t acc_[4];
  uint64_t total_ = 0;
  uint8_t pending_[32] = {};
  size_t pending_size_ = 0;
};

}  // namespace snapdelta
