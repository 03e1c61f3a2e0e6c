// inflate_drop_member: the one entry point that inflates a drop's member, from its start or from a
// checkpoint, with the engine InflateOptions names.
// Contract: with InflateEngine::isal_then_zlib, ISA-L inflates (about twice zlib's speed) and finds
// the checkpoints to capture; where ISA-L cannot see block boundaries it hands over to zlib at the
// next one (options.handed_off is then set) and zlib finishes. With InflateEngine::zlib_only, zlib
// alone inflates (the reference). Either way the member's bytes from the start point reach `sink`
// in order, the total uncompressed size is returned and checked against the archive's, and a
// corrupt or truncated stream throws snapdelta::Error naming the archive (zlib_inflater.h,
// isal_inflater.h). A gzip drop's span (container_entry.h) is read as one member: a deflate stream
// that ends before the trailer (a file of several members) throws too.
#pragma once

#include <cstdint>

#include "source/byte_sink.h"
#include "source/drop.h"
#include "source/inflate_options.h"

namespace snapdelta {

uint64_t inflate_drop_member(const Drop& drop, const InflateOptions& options, ByteSink& sink);

}  // namespace snapdelta
