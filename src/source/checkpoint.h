// Checkpoint: a place in a raw deflate stream where inflating can resume without the bytes before
// it (zlib's examples/zran.c technique), plus what proves the place is still valid in a new file.
// Contract: a checkpoint sits at a deflate block boundary that is not after the final block.
// `in_byte` compressed bytes were consumed; the high `bits` bits of byte in_byte-1 begin the next
// block, its low 8-bits bits end the previous one (`low_bits`). `compressed_hash` is the CRC-64
// (source/hash.h) of the deflate bytes [0, prefix_end()) and `tail_hash` is the CRC-64
// (source/hash.h) of the uncompressed bytes [out_offset, consumed end of the run that made it).
// `window` is the up-to-kDeflateWindow (32 KiB) of uncompressed data just before out_offset
// (source/checkpoint_window.h: unpacked only when a run resumes there).
#pragma once

#include <cstdint>

#include "source/checkpoint_window.h"

namespace snapdelta {

struct Checkpoint {
  uint64_t in_byte = 0;
  int bits = 0;
  uint8_t low_bits = 0;
  uint64_t compressed_hash = 0;
  uint64_t out_offset = 0;
  uint64_t tail_hash = 0;
  CheckpointWindow window;

  uint64_t prefix_end() const { return bits ? in_byte - 1 : in_byte; }
  uint8_t low_mask() const { return static_cast<uint8_t>((1u << (8 - bits)) - 1u); }
};

}  // namespace snapdelta
