// ClientState: how far the incremental pipeline got for one client, and the proof of what it read.
// Contract: `bytes` uncompressed bytes (`lines` lines, `rows` data rows) of `file` were consumed;
// `crc32` is the zip CRC-32 of those bytes; `segments` partition [0, bytes) in the order runs
// consumed them, each with the CRC-64 of its bytes; `checkpoints` are resume points in `file`'s
// compressed stream whose tail hashes end at `bytes`, kept as plain data (stored_checkpoint.h).
// `unterminated` means the last row had no line end. `header` is the header line the client's
// drops have ("" in states written before it was kept: the built-in job's header).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/run_mode.h"
#include "store/stored_checkpoint.h"

namespace snapdelta {

struct Segment {
  uint64_t end = 0;    // uncompressed offset where the segment ends
  uint64_t lines = 0;  // lines consumed at `end`
  uint64_t hash = 0;   // CRC-64 of the segment's bytes
};

struct ClientState {
  std::string client;
  int day = 0;
  std::string file;
  uint64_t rows = 0;
  uint64_t lines = 0;
  uint64_t bytes = 0;
  uint32_t crc32 = 0;
  bool unterminated = false;
  uint64_t groups = 0;
  RunMode mode = RunMode::incremental;
  std::string updated_at;
  std::vector<Segment> segments;
  std::vector<StoredCheckpoint> checkpoints;
  std::string header;  // the CSV header line of the client's drops; "" for the built-in one
};

// Whether two reads of a client's state describe the same consumed bytes: the fence a writer
// checks under the lock before committing work done against the first read.
inline bool same_consumption(const std::optional<ClientState>& a,
                             const std::optional<ClientState>& b) {
  if (!a || !b) return !a && !b;
  return a->day == b->day && a->file == b->file && a->bytes == b->bytes && a->rows == b->rows &&
         a->lines == b->lines && a->crc32 == b->crc32 && a->groups == b->groups &&
         a->segments.size() == b->segments.size() &&
         (a->segments.empty() || a->segments.back().hash == b->segments.back().hash);
}

}  // namespace snapdelta
