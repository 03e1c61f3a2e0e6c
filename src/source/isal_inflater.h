// Bulk inflate with ISA-L (about twice zlib's speed) for the part of a stream no checkpoint is
// needed in, handing over to zlib at a deflate block boundary near the end.
// Contract: isal_inflate_prefix() inflates `entry` from its start (or from `start`, a checkpoint
// whose prefix the caller has proven) into `sink`. It stops at the
// first block boundary at or after compressed offset `handoff_from` and returns it as a
// Checkpoint (in_byte, bits, out_offset, window; hashes unset) for inflate_member() to resume
// from; or, when the stream ends first, returns nullopt with every byte delivered and
// `*total_out` set. Corrupt or truncated data throws snapdelta::Error naming the archive; output
// beyond the declared size throws too.
#pragma once

#include <cstdint>
#include <optional>

#include "source/byte_sink.h"
#include "source/checkpoint.h"
#include "source/file_reader.h"
#include "source/zip_entry.h"

namespace snapdelta {

std::optional<Checkpoint> isal_inflate_prefix(const FileReader& file, const ZipEntry& entry,
                                              uint64_t handoff_from, ByteSink& sink,
                                              uint64_t* total_out,
                                              const Checkpoint* start = nullptr);

}  // namespace snapdelta
