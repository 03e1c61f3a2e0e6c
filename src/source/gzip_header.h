// The header of one gzip member (RFC 1952 section 2.3): magic 1f 8b, method 8 (deflate), flags,
// mtime, extra flags, OS, then the optional FEXTRA, FNAME, FCOMMENT and FHCRC fields.
// Contract: parse_gzip_header() reads a header from the start of `bytes`; it returns nullopt when
// `bytes` ends before the header does, and throws snapdelta::Error (one line naming `path` and the
// header's byte offset `at`) on a wrong magic, a method other than 8, reserved flag bits set, or an
// FHCRC that does not match. read_gzip_header() reads the header at `at` in a file, growing its
// read up to kMaxGzipHeader bytes; a header cut off by the end of the file is an Error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace snapdelta {

class FileReader;

inline constexpr size_t kMaxGzipHeader = size_t{1} << 20;

struct GzipHeader {
  uint32_t length = 0;  // bytes from the magic to the first deflate byte
  uint8_t flags = 0;
  uint32_t mtime = 0;
  std::string name;  // FNAME, when present
};

std::optional<GzipHeader> parse_gzip_header(std::span<const uint8_t> bytes, std::string_view path,
                                            uint64_t at);

GzipHeader read_gzip_header(const FileReader& file, uint64_t at);

}  // namespace snapdelta
