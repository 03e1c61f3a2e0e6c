// The gzip container (RFC 1952): a file of one or more members, each a header, a raw deflate
// stream and an 8-byte trailer (CRC-32 and ISIZE, the size mod 2^32, little endian). `cat` of gzip
// files is a gzip file, so a feed that appends a member a day stays valid.
// Contract: inflate_gzip() inflates the members from `from` (a member boundary: the file's start,
// or the end of a member a previous read listed) to the end of the file into `sink`, through ISA-L
// (raw_deflate_inflater.h), checks every trailer, and returns the members it read, in order. A
// start at the end of the file reads nothing. Every fault throws snapdelta::Error, one line naming
// the path: an empty file, a file that is not gzip (saying what it is: "found a zip archive"), a
// bad header (gzip_header.h), corrupt or truncated deflate data, a missing or short trailer, a
// CRC-32 or ISIZE mismatch, and trailing bytes after the last member. Zero padding after the last
// member (as tape archivers leave) counts as trailing bytes too: a cumulative drop must end where
// its data ends, or the next day's member would follow bytes no reader can place. Memory is
// bounded: the sink sees the data in pieces.
// list_gzip_members() reads the whole file the same way without keeping the data.
#pragma once

#include <cstdint>
#include <vector>

#include "source/byte_sink.h"
#include "source/file_reader.h"

namespace snapdelta {

struct GzipMember {
  uint64_t index = 0;   // 0-based position in the file
  uint64_t offset = 0;  // the member's first byte (its header's magic)
  uint32_t header_length = 0;
  uint64_t deflate_length = 0;  // the raw deflate stream, from deflate_offset()
  uint32_t crc32 = 0;           // trailer
  uint32_t isize = 0;           // trailer: uncompressed size mod 2^32
  uint64_t out_offset = 0;      // uncompressed offset of the member's first byte in the file
  uint64_t out_size = 0;        // uncompressed bytes the member inflated to

  uint64_t deflate_offset() const { return offset + header_length; }
  uint64_t trailer_offset() const { return deflate_offset() + deflate_length; }
  uint64_t end() const { return trailer_offset() + 8; }
};

// Where a read starts: the file's start, or just after a member already read.
struct GzipStart {
  uint64_t offset = 0;
  uint64_t out_offset = 0;
  uint64_t index = 0;

  static GzipStart after(const GzipMember& m) {
    return GzipStart{m.end(), m.out_offset + m.out_size, m.index + 1};
  }
};

std::vector<GzipMember> inflate_gzip(const FileReader& file, ByteSink& sink,
                                     const GzipStart& from = {});

std::vector<GzipMember> list_gzip_members(const FileReader& file);

}  // namespace snapdelta
