// The layout of a zstd file (RFC 8878): frames back to back, each a zstd frame (magic 28 b5 2f fd,
// header, blocks, optional 4-byte content checksum) or a skippable frame (magic 0x184D2A5X, a
// 4-byte size, that many bytes). A feed that appends a frame a day stays a valid zstd file.
// Contract: list_zstd_frames() walks the file from `from` (a frame boundary; the file's start by
// default) to its end without decompressing: each frame's header through libzstd's
// ZSTD_getFrameHeader, then its 3-byte block headers, one small pread per block (libzstd's
// ZSTD_findFrameCompressedSize does the same walk but needs the whole frame in memory, which
// would break the memory bound on a frame of a whole day's CSV). It returns the frames in order;
// every fault throws snapdelta::Error, one line naming the path: an empty file, a file that is
// not zstd (saying what it is), a header libzstd refuses, a reserved or oversized block, a frame
// cut short by the end of the file (truncated), and trailing bytes after the last frame.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "source/file_reader.h"

namespace snapdelta {

struct ZstdFrame {
  uint64_t index = 0;   // 0-based position in the file, skippable frames counted
  uint64_t offset = 0;  // the frame's first byte (its magic)
  uint64_t compressed_size = 0;
  bool skippable = false;
  bool has_checksum = false;
  std::optional<uint64_t> content_size;  // when the frame header declares it
  uint64_t window_size = 0;              // the history a decoder keeps (0 for skippable frames)
  uint64_t header_size = 0;              // the frame header's bytes, magic included
  uint64_t block_size_max = 0;           // the most a block may decode to
  uint32_t dict_id = 0;                  // the dictionary the frame needs (0: none)

  uint64_t end() const { return offset + compressed_size; }
};

// The first frame to list: the file's start, or just after a frame already listed.
struct ZstdStart {
  uint64_t offset = 0;
  uint64_t index = 0;

  static ZstdStart after(const ZstdFrame& f) { return ZstdStart{f.end(), f.index + 1}; }
};

std::vector<ZstdFrame> list_zstd_frames(const FileReader& file, const ZstdStart& from = {});

}  // namespace snapdelta
