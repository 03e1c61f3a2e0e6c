#include "source/gzip_header.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "common/error.h"
#include "source/file_reader.h"

namespace snapdelta {
namespace {

constexpr uint8_t kFhcrc = 0x02;
constexpr uint8_t kFextra = 0x04;
constexpr uint8_t kFname = 0x08;
constexpr uint8_t kFcomment = 0x10;
constexpr uint8_t kReserved = 0xe0;
constexpr size_t kFixedPart = 10;

// Reads the header's fields in order; `ok` turns false when the bytes run out.
class Cursor {
 public:
  explicit Cursor(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  size_t pos() const { return pos_; }
  uint32_t little(int n) {
    uint32_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<uint32_t>(byte()) << (8 * i);
    return v;
  }
  uint8_t byte() {
    if (pos_ >= bytes_.size()) {
      ok_ = false;
      return 0;
    }
    return bytes_[pos_++];
  }
  void skip(size_t n) {
    if (bytes_.size() - pos_ < n) ok_ = false;
    pos_ = std::min(bytes_.size(), pos_ + n);
  }
  std::string zero_terminated() {
    const auto* begin = bytes_.data() + pos_;
    const void* nul = std::memchr(begin, 0, bytes_.size() - pos_);
    if (nul == nullptr) {
      ok_ = false;
      pos_ = bytes_.size();
      return {};
    }
    std::string s(reinterpret_cast<const char*>(begin), static_cast<const uint8_t*>(nul) - begin);
    pos_ += s.size() + 1;
    return s;
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Checks magic, method and flags, as far as `b` holds them.
void check_fixed_part(std::span<const uint8_t> b, std::string_view path, uint64_t at) {
  if (b.size() >= 1 && (b[0] != 0x1f || (b.size() >= 2 && b[1] != 0x8b))) {
    fail(path, fmt::format("expected the gzip magic 1f 8b at byte {}, found {}", at,
                           quote_found(std::string_view(reinterpret_cast<const char*>(b.data()),
                                                        std::min<size_t>(b.size(), 2)))));
  }
  if (b.size() >= 3 && b[2] != 8) {
    fail(path, fmt::format("expected gzip compression method 8 (deflate) in the member at byte "
                           "{}, found method {}",
                           at, b[2]));
  }
  if (b.size() >= 4 && (b[3] & kReserved)) {
    fail(path, fmt::format("expected gzip header flags without reserved bits in the member at "
                           "byte {}, found flags 0x{:02x}",
                           at, b[3]));
  }
}

void check_header_crc(std::span<const uint8_t> header, uint16_t stored, std::string_view path,
                      uint64_t at) {
  const auto crc = static_cast<uint16_t>(crc32_z(0, header.data(), header.size()) & 0xffff);
  if (crc != stored) {
    fail(path, fmt::format("expected header CRC-16 0x{:04x} in the gzip member at byte {}, found "
                           "0x{:04x}",
                           stored, at, crc));
  }
}

}  // namespace

std::optional<GzipHeader> parse_gzip_header(std::span<const uint8_t> bytes, std::string_view path,
                                            uint64_t at) {
  check_fixed_part(bytes, path, at);
  if (bytes.size() < kFixedPart) return std::nullopt;
  Cursor c(bytes);
  c.skip(3);
  GzipHeader h;
  h.flags = c.byte();
  h.mtime = c.little(4);
  c.skip(2);  // XFL, OS
  if (h.flags & kFextra) c.skip(c.little(2));
  if (c.ok() && (h.flags & kFname)) h.name = c.zero_terminated();
  if (c.ok() && (h.flags & kFcomment)) c.zero_terminated();
  const size_t before_crc = c.pos();
  const uint32_t stored_crc = (h.flags & kFhcrc) ? c.little(2) : 0;
  if (!c.ok()) return std::nullopt;
  if (h.flags & kFhcrc) {
    check_header_crc(bytes.first(before_crc), static_cast<uint16_t>(stored_crc), path, at);
  }
  h.length = static_cast<uint32_t>(c.pos());
  return h;
}

GzipHeader read_gzip_header(const FileReader& file, uint64_t at) {
  const uint64_t left = file.size() - std::min(at, file.size());
  std::vector<uint8_t> bytes;
  for (size_t want = 4096;; want *= 2) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>({want, left, kMaxGzipHeader}));
    bytes.resize(n);
    file.read_at(at, bytes.data(), n);
    if (std::optional<GzipHeader> h = parse_gzip_header(bytes, file.path(), at)) return *h;
    if (n == left) {
      fail(file.path(), fmt::format("expected a complete gzip header at byte {}, found the end of "
                                    "the file after {} bytes (truncated)",
                                    at, n));
    }
    if (n == kMaxGzipHeader) {
      fail(file.path(), fmt::format("expected a gzip header of at most {} bytes at byte {}, found "
                                    "a longer one",
                                    kMaxGzipHeader, at));
    }
  }
}

}  // namespace snapdelta
