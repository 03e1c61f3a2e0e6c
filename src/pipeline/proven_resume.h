// resume_proven: a stream scan that starts past bytes it has not proven yet, while a second thread
// hashes them (PrefixProof, source/prefix_proof.h): the scan is kept only if the hash of the
// drop's data [0, prefix_end) (offsets from ZipEntry::data_offset) is `expected`. The append route
// proves the bytes before a gzip member's or zstd frame's boundary this way; the offset route
// proves a plain CSV's consumed bytes, whose hash the segments give (chained_hash()).
// A scan that consumed its tail has the tail's groups written through `writer` while the hashing
// completes (as the zip chain's speculative tail does), so the database write overlaps the proof.
// Contract: verdict not_proven (the scan discarded, its write undone, nothing of it kept) when the
// hash differs or prefix_end lies outside the data; otherwise the scan's own result, with the
// hashing time added as the prefix_check phase. A fault of the scan or of the write is rethrown
// only when the prefix proved, so a changed file is judged by the caller's next step, never by an
// error from bytes it replaced.
#pragma once

#include <cstdint>
#include <vector>

#include "pipeline/drop_scan.h"
#include "pipeline/stream_scan.h"
#include "pipeline/tail_writer.h"
#include "store/client_state.h"

namespace snapdelta {

ScanResult resume_proven(const StreamScanRequest& request, uint64_t prefix_end, uint64_t expected,
                         TailWriter& writer);

// The CRC-64 of the consumed bytes [0, last segment's end), joined from the segments' hashes.
uint64_t chained_hash(const std::vector<Segment>& segments);

}  // namespace snapdelta
