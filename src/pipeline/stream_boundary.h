// StreamBoundary: a place to resume a drop read as a byte stream: the end of a gzip member or a
// zstd frame, where decoding starts afresh (no window needed), with what proves it in a new file.
// `in_offset` file bytes hold `index` members (or frames) that decode to `out_offset` bytes;
// `compressed_hash` is the CRC-64 (source/hash.h) of the file's bytes [data_offset, in_offset),
// data_offset being where the drop's data begins (container_entry.h: after a gzip file's first
// header; 0 for zstd).
// Contract: the state keeps a boundary among its checkpoint records (store/stored_checkpoint.h),
// so the store keeps it as it keeps any checkpoint: bits 0, the member count in tail_hash and the
// window kBoundaryWindow, which is not a packed window (a deflate resume from it could only fail).
// boundary_of() finds it; without_boundary() gives the state the deflate chain reads.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "store/client_state.h"
#include "store/stored_checkpoint.h"

namespace snapdelta {

inline constexpr std::string_view kBoundaryWindow = "stream-boundary";

struct StreamBoundary {
  uint64_t in_offset = 0;
  uint64_t out_offset = 0;
  uint64_t index = 0;
  uint64_t compressed_hash = 0;
};

inline bool is_boundary(const StoredCheckpoint& c) { return c.window == kBoundaryWindow; }

inline std::optional<StreamBoundary> boundary_of(const std::vector<StoredCheckpoint>& records) {
  for (const StoredCheckpoint& c : records) {
    if (is_boundary(c))
      return StreamBoundary{c.in_byte, c.out_offset, c.tail_hash, c.compressed_hash};
  }
  return std::nullopt;
}

inline StoredCheckpoint boundary_record(const StreamBoundary& b) {
  return StoredCheckpoint{
      b.in_offset, 0, 0, b.compressed_hash, b.out_offset, b.index, std::string(kBoundaryWindow)};
}

inline ClientState without_boundary(const ClientState& state) {
  ClientState out = state;
  std::erase_if(out.checkpoints, is_boundary);
  return out;
}

}  // namespace snapdelta
