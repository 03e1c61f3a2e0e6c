// Resumable inflate of a zip member with zlib, recording checkpoints near the end of the stream.
// Contract: inflate_member() delivers the member's uncompressed bytes from `resume->out_offset`
// (or 0) to the end into `sink`, and returns the total uncompressed size. It verifies the stream
// is complete and never produces more than the declared size (so a bomb fails fast); a corrupt or
// truncated stream throws snapdelta::Error naming the archive. When `captured` is given it receives
// up to `keep` checkpoints at the last block boundaries that start at or after compressed offset
// `capture_from`, with `tail_hash` over [out_offset, end) filled in; `compressed_hash` is left to
// hash_compressed_prefixes(). Stored members are copied and yield no checkpoints.
#pragma once

#include <cstdint>
#include <vector>

#include "common/hash.h"
#include "source/byte_sink.h"
#include "source/checkpoint.h"
#include "source/file_reader.h"
#include "source/inflate_options.h"
#include "source/zip_entry.h"

namespace snapdelta {

uint64_t inflate_member(const FileReader& file, const ZipEntry& entry,
                        const InflateOptions& options, ByteSink& sink);

// CRC-64 digests of growing prefixes of a member's deflate bytes, reading each byte once as long
// as the requested ends do not decrease (a smaller end restarts from the beginning).
class PrefixHasher {
 public:
  PrefixHasher(const FileReader& file, const ZipEntry& entry) : file_(file), entry_(entry) {}
  uint64_t digest_at(uint64_t end);

 private:
  const FileReader& file_;
  const ZipEntry& entry_;
  Hasher hasher_;
  uint64_t pos_ = 0;
};

// Fills compressed_hash of each checkpoint.
void fill_compressed_hashes(PrefixHasher& hasher, std::vector<Checkpoint>& checkpoints);

// Returns the index of the checkpoint furthest into the stream whose prefix hash and low bits match
// this member's deflate bytes, or -1.
int find_matching_checkpoint(PrefixHasher& hasher, const FileReader& file, const ZipEntry& entry,
                             const std::vector<Checkpoint>& checkpoints);

}  // namespace snapdelta
