// DayCompressor: compresses one day's new CSV bytes into one self-contained unit that can follow
// the day before's units in the same file: a gzip member (zlib, level 6, windowBits 31: zlib
// writes the header and the CRC-32/ISIZE trailer) or a zstd frame (level 3, content checksum).
// Contract: append() feeds bytes; finish() ends the unit, appends its bytes to `out` and readies
// the compressor for the next day. Equal input gives equal bytes. Throws snapdelta::Error on a
// library failure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace snapdelta::generate {

class DayCompressor {
 public:
  virtual ~DayCompressor() = default;
  virtual void append(const void* data, size_t size, std::vector<uint8_t>& out) = 0;
  virtual void finish(std::vector<uint8_t>& out) = 0;
};

inline constexpr int kGzipLevel = 6;
inline constexpr int kZstdLevel = 3;

std::unique_ptr<DayCompressor> make_gzip_member_compressor();
// With `content_size`, the frame's header declares it (the bytes fed must add up to it).
std::unique_ptr<DayCompressor> make_zstd_frame_compressor(
    std::optional<uint64_t> content_size = std::nullopt);

}  // namespace snapdelta::generate
