// The scan steps both plans are made of. A scan inflates a drop from its start or from a proven
// checkpoint, checks every byte earlier runs consumed against their hashes, parses only the bytes
// after them into a fresh group table, and describes the new state. Each step returns what
// happened as a value (ScanResult): its verdict, its groups and state, its route and its phases;
// exceptions are left for real faults (I/O, bad input).
// Contract:
// - With nothing consumed (ScanRequest::consumed.bytes == 0) a scan reads the whole file and the
//   state it returns is a first run's: one segment, checkpoints near the stream's end with their
//   compressed hashes. With consumed bytes it returns the consumed state extended by the new
//   bytes (rows, lines, CRC-32 checked against the zip, one more segment), route checkpoint or
//   inflate-all, and leaves the new checkpoints' compressed hashes to the caller, who knows the
//   proven prefix. Consumed::reparse parses the whole file again, checking the consumed bytes on
//   the way without stopping (ScanResult::mismatch names the first range that differs).
// - scan_fast(): ISA-L (zlib where ISA-L sees no block boundaries). Verdict history_changed when
//   consumed bytes differ; fast_path_failed when it fails where the fast path may be at fault (it
//   resumed from a checkpoint, or handed over to zlib): the caller then has zlib judge again. A
//   whole-file scan that did not hand over throws the input's error itself.
// - scan_zlib(): zlib alone from the stream's start (a resume point in the request is ignored);
//   verdict consumed or history_changed; any failure is the input's and throws.
// - scan_whole_drop(): the whole-file chain (full runs, first runs, verify); a gzip drop of one
//   member is read as a zip member, leaving checkpoints (single_member_scan.h); any other gzip,
//   zstd or csv drop is read as one stream (stream_scan.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aggregate/job_groups.h"
#include "pipeline/history_locator.h"
#include "pipeline/phase.h"
#include "pipeline/route.h"
#include "pipeline/stream_boundary.h"
#include "source/checkpoint.h"
#include "source/drop.h"
#include "source/stream_router.h"
#include "store/client_state.h"

namespace snapdelta {

// A second parsing thread pays off only when there is much to parse: a tail scan uses the run's
// threads only from this many new bytes on. (Measured on a 100K-row tail: inflating on one thread
// and parsing on another made the tail no faster, only less steady.)
inline constexpr uint64_t kThreadedTail = 16 << 20;

// Checkpoints are captured at block boundaries in the last kCaptureSpan compressed bytes.
inline constexpr uint64_t kCaptureSpan = 256 << 10;

// The span to capture in when the previous run's checkpoints show how far apart this stream's
// blocks lie: five of the widest gaps (the next day resumes from one of the last boundaries, and
// every boundary searched costs time), within [64 KiB, kCaptureSpan]; kCaptureSpan otherwise.
uint64_t capture_span(const std::vector<StoredCheckpoint>& previous);

struct Scan {
  JobGroups table;                         // the groups of the bytes parsed
  ClientState state;                       // all but client, day, mode, groups and checkpoints
  std::vector<Checkpoint> checkpoints;     // captured near the stream's end
  std::optional<StreamBoundary> boundary;  // gzip, zstd: the end of the last member or frame read
};

// What a scan does with the bytes earlier runs consumed: skip them (checked, not parsed: the
// incremental tail), or parse the whole file again, checking them on the way without stopping (a
// rebuild that proves its verdict; the state is then a first run's).
enum class Consumed { skip, reparse };

struct ScanRequest {
  const Drop& drop;
  const ClientState& consumed;         // what earlier runs consumed (bytes 0: nothing)
  const Checkpoint* resume = nullptr;  // a checkpoint whose compressed prefix is proven
  int threads = 1;                     // >= 2: parse on a second thread
  Consumed mode = Consumed::skip;
  BlockHasher* blocks = nullptr;  // hashes the bytes in blocks too (each pass from the start)
};

enum class Verdict {
  consumed,          // the consumed bytes are there unchanged; the rest is parsed
  history_changed,   // consumed bytes differ or are missing (`changed` says where)
  fast_path_failed,  // the fast path failed where it may be at fault: zlib must judge again
  not_proven,        // (speculative tail) the proof did not name the checkpoint tried
};

struct ScanResult {
  Verdict verdict = Verdict::consumed;
  Scan scan;
  Route route = Route::full;  // checkpoint or inflate-all for a tail; the caller's otherwise
  std::string changed;        // history_changed: the words ("history changed at line N")
  std::optional<ExpectedRange> mismatch;  // Consumed::reparse: the first range that differed
  Phases phases;
  uint64_t rows_parsed = 0;
  uint64_t bytes_inflated = 0;
};

ScanResult scan_fast(const ScanRequest& request);
ScanResult scan_zlib(const ScanRequest& request);

// The whole drop, nothing consumed: scan_fast(), then scan_zlib() when the fast path failed.
ScanResult scan_whole_drop(const Drop& drop, int threads);

}  // namespace snapdelta
