// The drop writers built on one growing deflate stream (cumulative_deflate.h), cut each day into a
// complete stream: the zip drop (one deflated entry, zip_writer.h) and the gzip drop (the same
// stream framed as one gzip member by hand: the 10-byte header zlib writes for windowBits 31 at
// level 6 — no name, mtime 0, OS 3 — then the stream, then CRC-32 and ISIZE). Consecutive days
// share all of their compressed bytes but the last block or so, as zlib-made ZIPs do.
// Contract: as DropWriter (drop_writer.h).
#pragma once

#include <memory>

#include "generate/drop_writer.h"

namespace snapdelta::generate {

std::unique_ptr<DropWriter> make_zip_drop_writer();
std::unique_ptr<DropWriter> make_gzip_drop_writer();

}  // namespace snapdelta::generate
