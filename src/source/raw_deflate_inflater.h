// Inflates one raw deflate stream (RFC 1951) that starts at a byte offset of a file, with ISA-L,
// up to the end of its final block — the only way to learn where a deflate stream ends, as in a
// gzip member, where the trailer follows it.
// Contract: inflate_raw_deflate() reads the file from `at` in kRawInChunk pieces, delivers every
// uncompressed byte to `sink` in order, and returns the stream's compressed length (its last byte,
// partly used, counted), its uncompressed size and the CRC-32 (ISA-L crc32_gzip_refl, equal to
// zlib's crc32) of what it delivered. Bytes after the stream are read ahead but never consumed.
// Memory is bounded (one input and one output buffer). Corrupt data, or the end of the file
// before the final block ends, throws snapdelta::Error naming the path and `what` (e.g. "gzip
// member 2 at byte 1234").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "source/byte_sink.h"
#include "source/file_reader.h"

namespace snapdelta {

inline constexpr size_t kRawInChunk = 256 * 1024;

struct RawDeflateEnd {
  uint64_t compressed_length = 0;
  uint64_t out_size = 0;
  uint32_t crc32 = 0;
};

RawDeflateEnd inflate_raw_deflate(const FileReader& file, uint64_t at, ByteSink& sink,
                                  std::string_view what);

}  // namespace snapdelta
