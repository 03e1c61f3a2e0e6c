// StreamRouter: splits the uncompressed stream of a drop at the consumed end.
// Bytes before `parse_from` are old history: each expected range's bytes are hashed and compared
// with the hash the state recorded (a mismatch throws HistoryChanged naming the range's lines).
// Bytes from `parse_from` on are new: they are CRC'd, hashed as the next segment and passed on to
// `downstream` (the parser, possibly through a PipelinedSink).
// Contract: ranges are contiguous and lie in [start offset, end of the consumed bytes), which is
// normally parse_from; a rebuild that parses from the start checks them on the way (parse_from 0).
// With OnMismatch::stop a mismatch throws HistoryChanged (common/error.h) to stop the stream, and
// so does finish() if the stream ended before all ranges were seen; with OnMismatch::record the
// first such range is kept (first_mismatch()) and everything else goes on.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "source/byte_sink.h"
#include "source/hash.h"

namespace snapdelta {

struct ExpectedRange {
  uint64_t begin = 0;
  uint64_t end = 0;
  uint64_t hash = 0;
  uint64_t first_line = 0;  // first line (1-based) that may lie in the range
  uint64_t last_line = 0;   // last line consumed at the range's end
};

enum class OnMismatch { stop, record };

class StreamRouter : public ByteSink {
 public:
  StreamRouter(uint64_t start_offset, std::vector<ExpectedRange> expected, uint64_t parse_from,
               ByteSink& downstream, OnMismatch on_mismatch = OnMismatch::stop);
  void write(const uint8_t* data, size_t size) override;
  void finish();
  // The first range whose bytes differed or were missing (OnMismatch::record), or null.
  const ExpectedRange* first_mismatch() const { return mismatch_ ? &*mismatch_ : nullptr; }

  uint32_t new_crc() const { return crc_; }
  uint64_t new_hash() const { return hasher_.digest(); }
  uint64_t new_bytes() const { return new_bytes_; }
  double verify_ms() const { return verify_ns_ / 1e6; }
  double checksum_ms() const { return checksum_ns_ / 1e6; }

 private:
  void check_ranges(const uint8_t* data, size_t size);
  void check_range_end();
  void mismatch(const ExpectedRange& r, std::string why);
  uint64_t pos_;
  std::vector<ExpectedRange> expected_;
  size_t next_range_ = 0;
  Hasher range_hasher_;
  uint64_t parse_from_;
  ByteSink& downstream_;
  Hasher hasher_;
  uint32_t crc_ = 0;
  uint64_t new_bytes_ = 0;
  int64_t checksum_ns_ = 0;
  int64_t verify_ns_ = 0;
  OnMismatch on_mismatch_;
  std::optional<ExpectedRange> mismatch_;
};

}  // namespace snapdelta
