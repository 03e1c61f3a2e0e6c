// locate_drop_entry: the span a drop's bytes are read from, for each container (job/job.h), in
// ZipEntry's terms, so that one Drop type serves every container.
// Contract: zip: locate_zip_entry() (zip_entry.h), with the job's entry glob. gzip: the file read
// as one member: data_offset and compressed_size frame the deflate stream between the first header
// and the file's last 8 bytes, whose CRC-32 and ISIZE (the size mod 2^32) are crc32 and
// uncompressed_size (valid for a file of one member; a file of several is read member by member,
// gzip_reader.h). csv: the whole file, stored (method 0), crc32 0 (a plain file declares none).
// zstd: the whole file, method kZstdMethod, uncompressed_size 0 (known only once decompressed).
// A file whose first bytes are not its container, an empty file, or a gzip file too short for a
// header and trailer throws snapdelta::Error, one line naming the path and saying what it found
// ("expected a gzip file, found a zip archive").
#pragma once

#include <string>

#include "job/job.h"
#include "source/zip_entry.h"

namespace snapdelta {

inline constexpr int kZstdMethod = 93;  // the ZIP method id of zstd

ZipEntry locate_drop_entry(const std::string& path, Container container,
                           const std::string& entry_glob = "");

}  // namespace snapdelta
