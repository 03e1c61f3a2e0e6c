// full_scan: inflate and parse a whole drop into a fresh aggregate and the state that proves it.
// Contract: on return `table` holds every row's group sums and `state` (all but client, day, mode,
// groups) describes the consumed file: one segment, CRC checked against the zip, checkpoints near
// the end of the deflate stream. Any bad byte throws snapdelta::Error; nothing is written anywhere.
#pragma once

#include <functional>
#include <vector>

#include "aggregate/group_table.h"
#include "pipeline/run_report.h"
#include "pipeline/stream_router.h"
#include "source/drop.h"
#include "source/zlib_inflater.h"
#include "store/client_state.h"

namespace snapdelta {

// Checkpoints are captured at block boundaries in the last kCaptureSpan compressed bytes.
inline constexpr uint64_t kCaptureSpan = 256 << 10;

// The span to capture in when the previous run's checkpoints show how far apart this stream's
// blocks lie: five of the widest gaps (the next day resumes from one of the last boundaries, and
// every boundary searched costs time), within [64 KiB, kCaptureSpan]; kCaptureSpan otherwise.
uint64_t capture_span(const std::vector<Checkpoint>& previous);

// threads >= 2 inflates on this thread while another parses (see PipelinedSink).
void full_scan(const Drop& drop, GroupTable& table, ClientState& state, RunReport& report,
               int threads);

struct StreamResult {
  uint64_t total = 0;      // uncompressed size of the member
  uint32_t new_crc = 0;    // CRC-32 of the bytes from parse_from on
  uint64_t new_hash = 0;   // CRC-64 of the same bytes
  uint64_t new_bytes = 0;  // how many
  double verify_ms = 0;    // time spent checking expected ranges
};

// Inflates the drop's member (from options.resume, if set) through a StreamRouter into `parser`, on
// two threads when threads >= 2 (see PipelinedSink). Adds `decompress_phase` (inflating and
// checksumming) and "parse_aggregate" to the report.
StreamResult stream_member(const Drop& drop, const InflateOptions& options, uint64_t start,
                           std::vector<ExpectedRange> expected, uint64_t parse_from,
                           TransactionParser& parser, int threads, RunReport& report,
                           const char* decompress_phase);

// Throws unless `crc` (of the whole member) is the CRC-32 the archive declares.
void check_member_crc(const ZipEntry& entry, uint32_t crc);

// 0 means one per core.
int effective_threads(int requested);

}  // namespace snapdelta
