// Resumable inflate of a zip member with zlib alone (the reference inflater), recording
// checkpoints near the end of the stream.
// Contract: zlib_inflate_member() delivers the drop's member's uncompressed bytes from
// `resume->out_offset` (or 0) to the end into `sink`, and returns the total uncompressed size. It
// verifies the stream is complete and never produces more than the declared size (so a bomb fails
// fast); a corrupt or truncated stream throws snapdelta::Error naming the archive. When `captured`
// is given it receives up to `keep` checkpoints at the last block boundaries that start at or after
// compressed offset `capture_from`, with `tail_hash` over [out_offset, end) filled in;
// `compressed_hash` is left to fill_compressed_hashes() (prefix_proof.h). Stored members are copied
// and yield no checkpoints.
#pragma once

#include <cstdint>
#include <vector>

#include "source/byte_sink.h"
#include "source/checkpoint.h"
#include "source/drop.h"
#include "source/inflate_options.h"

namespace snapdelta {

uint64_t zlib_inflate_member(const Drop& drop, const InflateOptions& options, ByteSink& sink);

// Throws snapdelta::Error naming the archive unless `total` is the member's declared size.
void check_inflated_total(const ZipEntry& entry, uint64_t total);

}  // namespace snapdelta
