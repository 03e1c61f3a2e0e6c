// Decompressing a zstd file (zstd_frames.h) into a ByteSink, from a given frame on.
// Contract: decompress_zstd() first lists the frames from `from` (list_zstd_frames(), so a
// truncated file or trailing bytes fail before a byte is delivered), then decodes each frame
// block by block through one ZSTD_DCtx (libzstd's block API) into one ring: the window, limited
// to 2^kZstdWindowLogMax bytes, and room for two blocks either side, so memory is bounded;
// context, ring and input chunk laid out once, for the largest window among the frames, on huge
// pages when a megabyte or more (common/huge_buffer.h). Each block's bytes go to `sink` in order
// straight from the ring; skippable frames deliver nothing. It returns, per frame read, where its
// uncompressed bytes start (from `out_offset` on) and how many there are. A frame that does not
// decode, that needs a dictionary, a content checksum (XXH64, xxh64.h) or content size that does
// not match, throws snapdelta::Error, one line naming the path and the frame.
#pragma once

#include <cstdint>
#include <vector>

#include "source/byte_sink.h"
#include "source/file_reader.h"
#include "source/zstd_frames.h"

namespace snapdelta {

inline constexpr int kZstdWindowLogMax = 27;

struct ZstdFrameRead {
  ZstdFrame frame;
  uint64_t out_offset = 0;
  uint64_t out_size = 0;
};

std::vector<ZstdFrameRead> decompress_zstd(const FileReader& file, ByteSink& sink,
                                           const ZstdStart& from = {}, uint64_t out_offset = 0);

}  // namespace snapdelta
