// InflateOptions: how inflate_drop_member() runs (and zlib_inflate_member(),
// isal_inflate_member()). Contract: `resume` (when set) is a checkpoint whose compressed prefix the
// caller has proven; the inflaters start there. When `captured` is set it receives up to `keep`
// checkpoints at the last block boundaries whose in_byte is at or after `capture_from`, each with
// tail_hash over [out_offset, end of stream); compressed_hash is left to fill_compressed_hashes()
// (prefix_proof.h). When `stream_end` is set it receives where the stream's final block ends:
// the compressed bytes taken from the member's start, its last, partly used byte counted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "source/checkpoint.h"

namespace snapdelta {

// isal_then_zlib: ISA-L inflates and finds the boundaries to capture; zlib takes over only where
// ISA-L cannot see boundaries (streams of fixed-table blocks). zlib_only: the reference inflater.
enum class InflateEngine { zlib_only, isal_then_zlib };

struct InflateOptions {
  const Checkpoint* resume = nullptr;
  InflateEngine engine = InflateEngine::zlib_only;
  bool* handed_off = nullptr;  // set when ISA-L handed over to zlib
  std::vector<Checkpoint>* captured = nullptr;
  uint64_t capture_from = 0;
  size_t keep = 4;
  uint64_t* stream_end = nullptr;
};

}  // namespace snapdelta
