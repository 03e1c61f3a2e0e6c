// ZipEntry: finds the one CSV member of a daily drop and the raw span of its compressed data.
// Contract: locate_zip_entry() accepts a ZIP (ZIP64 too) with exactly one file member, or exactly
// one that `entry_glob` matches (fnmatch(3); "": any), stored (0) or deflated (8); it checks that
// the member's data lies inside the file and returns its raw span, sizes and CRC-32 as the central
// directory declares them. Anything else throws snapdelta::Error naming the path: missing file, not
// a zip (saying what the bytes are: "found a gzip file", container_sniff.h), truncated, bytes
// after the end-of-central-directory record (zip_end_record.h), empty archive, several members,
// other method, no member or several matching the glob (listing the members).
#pragma once

#include <cstdint>
#include <string>

namespace snapdelta {

struct ZipEntry {
  std::string archive_path;
  std::string name;
  int method = 0;  // 0 stored, 8 deflate
  uint64_t data_offset = 0;
  uint64_t compressed_size = 0;
  uint64_t uncompressed_size = 0;
  uint32_t crc32 = 0;
  uint64_t archive_size = 0;
};

ZipEntry locate_zip_entry(const std::string& path, const std::string& entry_glob = "");

}  // namespace snapdelta
