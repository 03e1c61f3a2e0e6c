// scan_drop: the one scan both plans use. It inflates a drop from its start or from a proven
// checkpoint, checks every byte earlier runs consumed against their hashes, parses only the bytes
// after them into a fresh group table, and describes the new state.
// Contract: with nothing consumed (ScanRequest::consumed.bytes == 0) it reads the whole file, and
// the state it returns is a first run's: one segment, checkpoints near the stream's end with their
// compressed hashes. With consumed bytes it returns the consumed state extended by the new bytes
// (rows, lines, CRC-32 checked against the zip, one more segment), sets the report's route
// (checkpoint or inflate-all) and leaves the new checkpoints' compressed hashes to the caller, who
// knows the proven prefix. Throws HistoryChanged when consumed bytes differ, snapdelta::Error for
// bad input. ISA-L inflates; should it fail where the fast path may be at fault (it handed over to
// zlib, or a verdict on history is at stake), the scan is taken again by zlib alone from the
// stream's start (rescan_with_zlib): a fault of the fast path costs time, never a wrong answer.
// The one exception is HistoryChanged, which scan_drop() passes on at once: its caller judges it
// again from bytes the zip's CRC proves (verified_rebuild.h).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "aggregate/group_table.h"
#include "pipeline/history_locator.h"
#include "pipeline/run_report.h"
#include "pipeline/stream_router.h"
#include "source/checkpoint.h"
#include "source/drop.h"
#include "store/client_state.h"

namespace snapdelta {

// Checkpoints are captured at block boundaries in the last kCaptureSpan compressed bytes.
inline constexpr uint64_t kCaptureSpan = 256 << 10;

// The span to capture in when the previous run's checkpoints show how far apart this stream's
// blocks lie: five of the widest gaps (the next day resumes from one of the last boundaries, and
// every boundary searched costs time), within [64 KiB, kCaptureSpan]; kCaptureSpan otherwise.
uint64_t capture_span(const std::vector<Checkpoint>& previous);

struct Scan {
  GroupTable table;   // the groups of the bytes parsed
  ClientState state;  // all but client, day, mode and groups
  // Consumed::reparse only: the first consumed range whose bytes differ or are missing.
  std::optional<ExpectedRange> mismatch;
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

void scan_drop(const ScanRequest& request, Scan& out, RunReport& report);

// One pass with ISA-L and no second opinion, for a caller that judges a failure itself.
void scan_drop_once(const ScanRequest& request, Scan& out, RunReport& report);

// Restores `report` to `before` and `out` to empty, then scans from the stream's start with zlib
// alone.
void rescan_with_zlib(const ScanRequest& request, const RunReport& before, Scan& out,
                      RunReport& report);

// scan_drop() of the whole file.
Scan scan_whole_drop(const Drop& drop, int threads, RunReport& report);

}  // namespace snapdelta
