// StoredCheckpoint: a resume point in a drop's compressed stream as the store keeps it: plain
// numbers and the packed 32 KiB window, read and written verbatim. What the fields mean, and how
// a window is packed, is the source layer's (source/checkpoint.h); the store never interprets them.
#pragma once

#include <cstdint>
#include <string>

namespace snapdelta {

struct StoredCheckpoint {
  uint64_t in_byte = 0;
  int bits = 0;
  uint8_t low_bits = 0;
  uint64_t compressed_hash = 0;
  uint64_t out_offset = 0;
  uint64_t tail_hash = 0;
  std::string window;  // packed

  bool operator==(const StoredCheckpoint&) const = default;
};

}  // namespace snapdelta
