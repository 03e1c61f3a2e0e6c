// stream_member: one pass over a drop's deflate stream, from its start or a proven checkpoint,
// through a StreamRouter (consumed bytes checked, new bytes checksummed) into a parser, on two
// threads when asked (inflating here, parsing on a PipelinedSink's thread).
// Contract: returns the member's uncompressed size, the CRC-32 / CRC-64 of the bytes from
// `parse_from` on, and the time spent inflating and checksumming, checking consumed ranges, and
// parsing; throws HistoryChanged when an expected range's bytes differ (OnMismatch::stop) and
// snapdelta::Error for a corrupt stream. check_member_crc() throws unless a member's CRC-32 is
// the one its archive declares.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "csv/job_parser.h"
#include "source/drop.h"
#include "source/inflate_options.h"
#include "source/stream_router.h"

namespace snapdelta {

struct StreamRequest {
  const Drop& drop;
  InflateOptions inflate;                     // engine, resume point, checkpoint capture
  std::vector<ExpectedRange> expected;        // consumed ranges to check, from the resume point on
  uint64_t parse_from = 0;                    // where new bytes begin
  int threads = 1;                            // >= 2: parse on a second thread
  OnMismatch on_mismatch = OnMismatch::stop;  // record: note the first bad range and go on
  ByteSink* tap = nullptr;                    // also sees every byte inflated, first
  // When set, decodes the drop's bytes from `decode_start` into the sink in place of
  // inflate_drop_member (gzip members, zstd frames, a plain file) and returns the stream's total;
  // `size_hint` is the expected total (for chunking; 0 when unknown).
  std::function<uint64_t(ByteSink&)> decode = nullptr;
  uint64_t decode_start = 0;
  uint64_t size_hint = 0;
};

struct StreamResult {
  uint64_t total = 0;                     // uncompressed size of the member
  uint32_t new_crc = 0;                   // CRC-32 of the bytes from parse_from on
  uint64_t new_hash = 0;                  // CRC-64 of the same bytes
  uint64_t new_bytes = 0;                 // how many
  double inflate_ms = 0;                  // inflating and checksumming (not waiting for the parser)
  double verify_ms = 0;                   // checking expected ranges
  double parse_ms = 0;                    // parsing and aggregating
  std::optional<ExpectedRange> mismatch;  // with OnMismatch::record: the first range that differed
};

StreamResult stream_member(StreamRequest request, JobParser& parser);

void check_member_crc(const ZipEntry& entry, uint32_t crc);

}  // namespace snapdelta
