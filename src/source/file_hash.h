// hash_file_range: the CRC-64 (hash.h) of a file's bytes [begin, end), read with pread in 64 KiB
// pieces through one buffer (as fast as larger pieces from the page cache, with 16 fresh pages to
// fault in instead of 256). Contract: a range past the end of the file, or a read error, throws
// snapdelta::Error naming the path (FileReader).
#pragma once

#include <cstdint>

#include "source/file_reader.h"

namespace snapdelta {

uint64_t hash_file_range(const FileReader& file, uint64_t begin, uint64_t end);

}  // namespace snapdelta
