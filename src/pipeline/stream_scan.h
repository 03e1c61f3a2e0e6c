// scan_stream: the scan step of a gzip, zstd or plain CSV drop, read as one byte stream: gzip
// members and zstd frames decoded in order (gzip_reader.h, zstd_reader.h: every trailer and
// checksum checked), a CSV file's bytes as they are (file_stream.h), through the StreamRouter
// (consumed bytes checked, new bytes checksummed) into the parser.
// Contract: from the file's start (`from` empty), every consumed segment is checked against its
// hash and only the bytes after the consumed end are parsed; from a proven boundary (`from`,
// whose out_offset must be the consumed end) only what follows it is decoded and parsed. Verdict
// consumed, or history_changed when consumed bytes differ or are missing; the input's faults
// throw snapdelta::Error (one line naming the file). The state extends the consumed one (a first
// run's when nothing was consumed); Scan::boundary is the file's end for gzip and zstd (none for
// a CSV, whose proof is its segments); no checkpoints. The route is the caller's to set.
#pragma once

#include <optional>

#include "pipeline/drop_scan.h"
#include "pipeline/stream_boundary.h"
#include "source/drop.h"
#include "store/client_state.h"

namespace snapdelta {

struct StreamScanRequest {
  const Drop& drop;
  const ClientState& consumed;         // what earlier runs consumed (bytes 0: nothing)
  std::optional<StreamBoundary> from;  // a proven boundary at the consumed end
  int threads = 1;                     // >= 2: parse on a second thread
};

ScanResult scan_stream(const StreamScanRequest& request);

// Whether `b` still holds in `drop`: it lies within the file, ends the consumed bytes, and the
// file's bytes before it hash as recorded (hashed here, on this thread).
bool boundary_holds(const Drop& drop, const StreamBoundary& b, const ClientState& consumed);

}  // namespace snapdelta
