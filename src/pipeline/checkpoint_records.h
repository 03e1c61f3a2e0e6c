// Between the source layer's checkpoints (resume points with their window) and the store's plain
// records of them. Contract: resume_points() gives each stored checkpoint with its window still
// packed (unpacked only if a run resumes there); records_of() packs each new window once (a
// window read packed is kept as it was read).
#pragma once

#include <vector>

#include "source/checkpoint.h"
#include "store/stored_checkpoint.h"

namespace snapdelta {

inline std::vector<Checkpoint> resume_points(const std::vector<StoredCheckpoint>& stored) {
  std::vector<Checkpoint> out;
  out.reserve(stored.size());
  for (const StoredCheckpoint& s : stored) {
    Checkpoint c;
    c.in_byte = s.in_byte;
    c.bits = s.bits;
    c.low_bits = s.low_bits;
    c.compressed_hash = s.compressed_hash;
    c.out_offset = s.out_offset;
    c.tail_hash = s.tail_hash;
    c.window = CheckpointWindow::from_packed(s.window);
    out.push_back(std::move(c));
  }
  return out;
}

inline std::vector<StoredCheckpoint> records_of(const std::vector<Checkpoint>& points) {
  std::vector<StoredCheckpoint> out;
  out.reserve(points.size());
  for (const Checkpoint& c : points) {
    out.push_back(StoredCheckpoint{c.in_byte, c.bits, c.low_bits, c.compressed_hash, c.out_offset,
                                   c.tail_hash, c.window.packed()});
  }
  return out;
}

}  // namespace snapdelta
