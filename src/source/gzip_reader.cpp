#include "source/gzip_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>

#include "common/error.h"
#include "source/container_sniff.h"
#include "source/gzip_header.h"
#include "source/raw_deflate_inflater.h"

namespace snapdelta {
namespace {

constexpr size_t kTrailer = 8;

class DiscardSink : public ByteSink {
 public:
  void write(const uint8_t*, size_t) override {}
};

uint32_t little32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

void check_is_gzip(const FileReader& file) {
  if (file.size() == 0) fail(file.path(), "expected a gzip file, found an empty file");
  std::array<uint8_t, 2> magic{};
  const size_t n = static_cast<size_t>(std::min<uint64_t>(file.size(), magic.size()));
  file.read_at(0, magic.data(), n);
  if (n < 2 || magic[0] != 0x1f || magic[1] != 0x8b) {
    fail(file.path(), "expected a gzip file, found " + found_in_file(file));
  }
}

void check_member_start(const FileReader& file, uint64_t at) {
  std::array<uint8_t, 2> magic{};
  const size_t n = static_cast<size_t>(std::min<uint64_t>(file.size() - at, magic.size()));
  file.read_at(at, magic.data(), n);
  if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b) return;
  fail(file.path(),
       fmt::format("expected another gzip member or the end of the file at byte {}, found {}", at,
                   found_after(file, at)));
}

void check_trailer(const FileReader& file, const GzipMember& m, uint32_t crc, uint64_t size) {
  const uint64_t number = m.index + 1;
  if (m.crc32 != crc) {
    fail(file.path(), fmt::format("expected CRC-32 0x{:08x} for gzip member {} (trailer at byte "
                                  "{}), found 0x{:08x} in the inflated data",
                                  m.crc32, number, m.trailer_offset(), crc));
  }
  if (m.isize != static_cast<uint32_t>(size)) {
    fail(file.path(),
         fmt::format("expected ISIZE {} for gzip member {} (trailer at byte {}), "
                     "found {} bytes inflated (mod 2^32: {})",
                     m.isize, number, m.trailer_offset(), size, static_cast<uint32_t>(size)));
  }
}

GzipMember read_member(const FileReader& file, const GzipStart& at, ByteSink& sink) {
  GzipMember m;
  m.index = at.index;
  m.offset = at.offset;
  m.out_offset = at.out_offset;
  m.header_length = read_gzip_header(file, at.offset).length;
  const std::string what = fmt::format("gzip member {} (from byte {})", m.index + 1, m.offset);
  const RawDeflateEnd end = inflate_raw_deflate(file, m.deflate_offset(), sink, what);
  m.deflate_length = end.compressed_length;
  m.out_size = end.out_size;
  const uint64_t left = file.size() - m.trailer_offset();
  if (left < kTrailer) {
    fail(file.path(), fmt::format("expected an 8-byte trailer (CRC-32, ISIZE) at byte {}, after "
                                  "the deflate data of {}, found {} (truncated)",
                                  m.trailer_offset(), what,
                                  left == 0 ? std::string("the end of the file")
                                            : fmt::format("only {} bytes", left)));
  }
  std::array<uint8_t, kTrailer> trailer{};
  file.read_at(m.trailer_offset(), trailer.data(), trailer.size());
  m.crc32 = little32(trailer.data());
  m.isize = little32(trailer.data() + 4);
  check_trailer(file, m, end.crc32, end.out_size);
  return m;
}

}  // namespace

std::vector<GzipMember> inflate_gzip(const FileReader& file, ByteSink& sink,
                                     const GzipStart& from) {
  if (from.offset == 0) check_is_gzip(file);
  if (from.offset > file.size()) {
    fail(file.path(), fmt::format("expected a gzip member boundary at byte {}, found a file of {} "
                                  "bytes (shorter than what was read before)",
                                  from.offset, file.size()));
  }
  std::vector<GzipMember> members;
  for (GzipStart at = from; at.offset < file.size();) {
    if (at.offset != 0) check_member_start(file, at.offset);
    members.push_back(read_member(file, at, sink));
    at = GzipStart::after(members.back());
  }
  return members;
}

std::vector<GzipMember> list_gzip_members(const FileReader& file) {
  DiscardSink discard;
  return inflate_gzip(file, discard);
}

}  // namespace snapdelta
