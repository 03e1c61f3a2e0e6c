// verified_rebuild: what the incremental plan does once its fast path says history changed.
// One whole-file scan of the new drop parses every row for the rebuild and, on the way, checks
// every segment the state consumed (so the verdict comes from bytes the zip's CRC-32 proves, not
// from the fast path) and hashes the consumed range in 64 KiB blocks; meanwhile a second thread
// hashes the same blocks of the file the state consumed, when that is another file and still
// there. The first block that differs is read again from both files to name the first changed
// line, so a rebuild costs about one full run, not one per opinion.
// Contract: `result` is a whole-file scan of the drop (zlib alone judges again where the fast
// path may be at fault), its route left to the caller. `changed` holds the words for the change
// ("history changed at line N"; the segment's lines when the old file is gone; "history shrank
// from N to M rows" for a shorter file), or is empty when every consumed byte is there unchanged
// (the fast path was wrong; the caller then reads the tail again). Throws snapdelta::Error for bad
// input, as a full run would.
#pragma once

#include <string>

#include "pipeline/drop_scan.h"
#include "source/drop.h"
#include "store/client_state.h"

namespace snapdelta {

struct Rebuild {
  ScanResult result;
  std::string changed;
};

Rebuild verified_rebuild(const Drop& drop, const ClientState& old, int threads);

}  // namespace snapdelta
