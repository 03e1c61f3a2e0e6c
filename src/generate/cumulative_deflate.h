// One raw deflate stream (zlib level 6, windowBits -15, memLevel 8, default strategy) that grows
// for the whole history of a client and can be cut, at any point, into a complete stream without
// disturbing it: finish_copy() finishes a deflateCopy of the state. So the stream for day k is
// compressed() + finish_copy() and shares all of compressed() with every later day's stream,
// while the whole history costs about one compression of the last day's data.
// Contract: append() feeds bytes with Z_NO_FLUSH; compressed() is everything emitted so far and
// only ever grows; crc32()/uncompressed_size() cover every byte appended. Throws snapdelta::Error
// on a zlib failure (out of memory).
#pragma once

#include <zlib.h>

#include <cstdint>
#include <span>
#include <vector>

namespace snapdelta::generate {

class CumulativeDeflate {
 public:
  static constexpr int kLevel = 6;

  CumulativeDeflate();
  ~CumulativeDeflate();
  CumulativeDeflate(const CumulativeDeflate&) = delete;
  CumulativeDeflate& operator=(const CumulativeDeflate&) = delete;

  void append(const void* data, size_t size);
  // The end of a complete deflate stream of all bytes appended so far (to follow compressed()).
  std::vector<uint8_t> finish_copy();

  std::span<const uint8_t> compressed() const { return {out_.data(), used_}; }
  uint32_t crc32() const { return crc_; }
  uint64_t uncompressed_size() const { return size_; }

 private:
  void deflate_some(const uint8_t* data, uInt size);
  void reserve_output(size_t min_free);

  z_stream strm_{};
  std::vector<uint8_t> out_;
  size_t used_ = 0;
  uint32_t crc_ = 0;
  uint64_t size_ = 0;
};

}  // namespace snapdelta::generate
