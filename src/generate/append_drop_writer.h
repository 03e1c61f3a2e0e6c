// The drop writer of the append containers (gzip-append, zstd-append): day K's drop is day K-1's
// bytes plus one unit (gzip member or zstd frame, day_compressor.h) of the rows new on day K —
// what a feed that appends to its file each day produces. Day 1's unit holds the header and the
// first day's rows. The units so far are kept in a scratch file (scratch_file.h), not in memory.
// Contract: as DropWriter (drop_writer.h).
#pragma once

#include <filesystem>
#include <memory>

#include "generate/day_compressor.h"
#include "generate/drop_writer.h"

namespace snapdelta::generate {

std::unique_ptr<DropWriter> make_append_drop_writer(std::unique_ptr<DayCompressor> compressor,
                                                    const std::filesystem::path& scratch_dir);

}  // namespace snapdelta::generate
