// Writes a one-entry ZIP whose entry is an already compressed raw deflate stream (minizip, RAW
// mode, so nothing is recompressed).
// Contract: the stream is given in pieces that are written back to back; crc32 and
// uncompressed_size describe the inflated entry. ZIP64 records are used when either size is
// >= 0xFFFFFFFF (or when forced). The timestamp is the given date at 00:00 (clamped to the DOS
// range 1980..2107), so equal inputs give byte-identical files. The archive is written to
// `path.tmp` and renamed to `path`, so a killed writer never leaves a truncated file under `path`.
// Throws snapdelta::Error naming the path on any failure.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace snapdelta::generate {

struct ZipEntry {
  std::string name;
  std::vector<std::span<const uint8_t>> deflate_pieces;
  uint64_t uncompressed_size = 0;
  uint32_t crc32 = 0;
  int32_t date = 0;  // days since 1970-01-01, for the DOS timestamp
  bool force_zip64 = false;
};

bool needs_zip64(uint64_t uncompressed_size, uint64_t compressed_size);

void write_zip(const std::string& path, const ZipEntry& entry);

}  // namespace snapdelta::generate
