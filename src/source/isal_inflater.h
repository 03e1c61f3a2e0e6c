// Inflate of a zip member with ISA-L (about twice zlib's speed), including the checkpoint capture.
// Contract: isal_inflate_member() inflates the drop's member from its start (or from
// options.resume) into `sink`. With options.captured set, it finds every deflate block boundary
// from options.capture_from on from the decoder's own state (no second decoder) and captures them
// as inflate_options.h describes. Where 128 KiB of coded blocks show no sign of a new block
// (fixed-table or stored blocks ISA-L leaves no trace of), it goes on byte by byte to the next
// boundary and returns that as `handoff`, having delivered exactly the bytes before it: the caller
// finishes with zlib from there, and the ISA-L captures are dropped. Otherwise `total` is the whole
// member's uncompressed size. Corrupt or truncated data throws snapdelta::Error naming the archive;
// output beyond the declared size throws too.
#pragma once

#include <cstdint>
#include <optional>

#include "source/byte_sink.h"
#include "source/checkpoint.h"
#include "source/drop.h"
#include "source/inflate_options.h"

namespace snapdelta {

struct IsalResult {
  uint64_t total = 0;
  std::optional<Checkpoint> handoff;  // hashes unset
};

IsalResult isal_inflate_member(const Drop& drop, const InflateOptions& options, ByteSink& sink);

}  // namespace snapdelta
