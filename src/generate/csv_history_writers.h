// The drop writers that keep the whole CSV so far in a scratch file (scratch_file.h): the plain
// CSV drop (a copy of it) and the zstd drop (it compressed again each day as one frame: level 3,
// content checksum, content size in the header; streamed in fixed pieces through one ZSTD_CCtx,
// so memory stays bounded and equal input gives equal bytes). zstd cannot continue a finished
// frame, so unlike the gzip drop, each day's zstd drop costs one compression of its whole CSV.
// Contract: as DropWriter (drop_writer.h).
#pragma once

#include <filesystem>
#include <memory>

#include "generate/drop_writer.h"

namespace snapdelta::generate {

std::unique_ptr<DropWriter> make_csv_drop_writer(const std::filesystem::path& scratch_dir);
std::unique_ptr<DropWriter> make_zstd_drop_writer(const std::filesystem::path& scratch_dir);

}  // namespace snapdelta::generate
