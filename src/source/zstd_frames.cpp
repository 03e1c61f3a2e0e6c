#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_getFrameHeader
#include "source/zstd_frames.h"

#include <fmt/format.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <string>

#include "common/error.h"
#include "source/container_sniff.h"

namespace snapdelta {
namespace {

constexpr uint64_t kBlockHeader = 3;
constexpr uint64_t kChecksum = 4;
constexpr unsigned kBlockRle = 1;
constexpr unsigned kBlockReserved = 3;

std::string frame_name(const ZstdFrame& f) {
  return fmt::format("zstd frame {} (from byte {})", f.index + 1, f.offset);
}

[[noreturn]] void truncated(const FileReader& file, const ZstdFrame& f, const char* part,
                            uint64_t at) {
  fail(file.path(), fmt::format("expected {} at byte {} of {}, found the end of the file at "
                                "byte {} (truncated)",
                                part, at, frame_name(f), file.size()));
}

void check_is_zstd(const FileReader& file) {
  if (file.size() == 0) fail(file.path(), "expected a zstd file, found an empty file");
  std::array<uint8_t, 4> magic{};
  const size_t n = static_cast<size_t>(std::min<uint64_t>(file.size(), magic.size()));
  file.read_at(0, magic.data(), n);
  if (sniff_container(std::span<const uint8_t>(magic.data(), n)) != ContainerKind::zstd) {
    fail(file.path(), "expected a zstd file, found " + found_in_file(file));
  }
}

ZSTD_frameHeader read_header(const FileReader& file, const ZstdFrame& f) {
  std::array<uint8_t, ZSTD_FRAMEHEADERSIZE_MAX> bytes{};
  const size_t n = static_cast<size_t>(std::min<uint64_t>(file.size() - f.offset, bytes.size()));
  file.read_at(f.offset, bytes.data(), n);
  if (n < 4 || sniff_container(std::span<const uint8_t>(bytes.data(), n)) != ContainerKind::zstd) {
    fail(file.path(),
         fmt::format("expected another zstd frame or the end of the file at byte {}, found {}",
                     f.offset, found_after(file, f.offset)));
  }
  ZSTD_frameHeader header{};
  const size_t rc = ZSTD_getFrameHeader(&header, bytes.data(), n);
  if (ZSTD_isError(rc)) {
    fail(file.path(), fmt::format("expected a zstd frame header at byte {}, found one libzstd "
                                  "refuses ({})",
                                  f.offset, ZSTD_getErrorName(rc)));
  }
  if (rc != 0) truncated(file, f, "the frame header", f.offset);
  return header;
}

// The offset just after the last block of the frame whose first block header is at `at`.
uint64_t walk_blocks(const FileReader& file, const ZstdFrame& f, uint64_t at, unsigned max_block) {
  for (bool last = false; !last;) {
    if (file.size() - at < kBlockHeader) truncated(file, f, "a block header", at);
    std::array<uint8_t, kBlockHeader> b{};
    file.read_at(at, b.data(), b.size());
    const uint32_t header = b[0] | b[1] << 8 | b[2] << 16;
    last = (header & 1) != 0;
    const unsigned type = (header >> 1) & 3;
    const uint64_t size = header >> 3;
    if (type == kBlockReserved || size > max_block) {
      fail(file.path(),
           fmt::format("expected a zstd block header at byte {} of {}, found {} "
                       "(corrupt)",
                       at, frame_name(f),
                       type == kBlockReserved ? std::string("the reserved block type 3")
                                              : fmt::format("a block of {} bytes", size)));
    }
    const uint64_t stored = type == kBlockRle ? 1 : size;
    if (file.size() - at - kBlockHeader < stored) {
      truncated(file, f, fmt::format("the {}-byte block", stored).c_str(), at);
    }
    at += kBlockHeader + stored;
  }
  return at;
}

ZstdFrame read_frame(const FileReader& file, const ZstdStart& start) {
  ZstdFrame f;
  f.index = start.index;
  f.offset = start.offset;
  const ZSTD_frameHeader header = read_header(file, f);
  if (header.frameType == ZSTD_skippableFrame) {
    f.skippable = true;
    // ZSTD_getFrameHeader leaves headerSize 0 for skippable frames: magic and size, 8 bytes.
    f.compressed_size = ZSTD_SKIPPABLEHEADERSIZE + header.frameContentSize;
    if (file.size() - f.offset < f.compressed_size) truncated(file, f, "the content", f.offset);
    return f;
  }
  f.has_checksum = header.checksumFlag != 0;
  f.window_size = header.windowSize;
  f.header_size = header.headerSize;
  f.block_size_max = header.blockSizeMax;
  f.dict_id = header.dictID;
  if (header.frameContentSize != ZSTD_CONTENTSIZE_UNKNOWN) f.content_size = header.frameContentSize;
  uint64_t end = walk_blocks(file, f, f.offset + header.headerSize, header.blockSizeMax);
  if (f.has_checksum) {
    if (file.size() - end < kChecksum) truncated(file, f, "the 4-byte content checksum", end);
    end += kChecksum;
  }
  f.compressed_size = end - f.offset;
  return f;
}

}  // namespace

std::vector<ZstdFrame> list_zstd_frames(const FileReader& file, const ZstdStart& from) {
  if (from.offset == 0) check_is_zstd(file);
  if (from.offset > file.size()) {
    fail(file.path(), fmt::format("expected a zstd frame boundary at byte {}, found a file of {} "
                                  "bytes (shorter than what was read before)",
                                  from.offset, file.size()));
  }
  std::vector<ZstdFrame> frames;
  for (ZstdStart at = from; at.offset < file.size(); at = ZstdStart::after(frames.back())) {
    frames.push_back(read_frame(file, at));
  }
  return frames;
}

}  // namespace snapdelta
