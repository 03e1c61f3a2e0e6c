#include "generate/cumulative_deflate.h"

#include <string>

#include "common/error.h"

namespace snapdelta::generate {
namespace {

constexpr size_t kMinFree = size_t{1} << 18;

[[noreturn]] void zlib_failed(const char* what, int rc) {
  throw Error(std::string("zlib: ") + what + " failed with code " + std::to_string(rc));
}

}  // namespace

CumulativeDeflate::CumulativeDeflate() {
  const int rc = deflateInit2(&strm_, kLevel, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  if (rc != Z_OK) zlib_failed("deflateInit2", rc);
}

CumulativeDeflate::~CumulativeDeflate() { deflateEnd(&strm_); }

void CumulativeDeflate::append(const void* data, size_t size) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  crc_ = static_cast<uint32_t>(crc32_z(crc_, bytes, size));
  size_ += size;
  constexpr size_t kMaxPiece = size_t{1} << 30;  // avail_in is 32-bit
  while (size > 0) {
    const size_t piece = size < kMaxPiece ? size : kMaxPiece;
    deflate_some(bytes, static_cast<uInt>(piece));
    bytes += piece;
    size -= piece;
  }
}

void CumulativeDeflate::reserve_output(size_t min_free) {
  if (out_.size() - used_ >= min_free) return;
  size_t target = out_.size() < min_free ? min_free : out_.size();
  while (target - used_ < min_free) target *= 2;
  out_.resize(target);
}

void CumulativeDeflate::deflate_some(const uint8_t* data, uInt size) {
  strm_.next_in = const_cast<Bytef*>(data);
  strm_.avail_in = size;
  do {
    reserve_output(kMinFree);
    const size_t room = out_.size() - used_;
    const uInt avail = room > (size_t{1} << 30) ? (uInt{1} << 30) : static_cast<uInt>(room);
    strm_.next_out = out_.data() + used_;
    strm_.avail_out = avail;
    const int rc = deflate(&strm_, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_BUF_ERROR) zlib_failed("deflate", rc);
    used_ += avail - strm_.avail_out;
  } while (strm_.avail_in > 0 || strm_.avail_out == 0);
}

std::vector<uint8_t> CumulativeDeflate::finish_copy() {
  z_stream copy{};
  int rc = deflateCopy(&copy, &strm_);
  if (rc != Z_OK) zlib_failed("deflateCopy", rc);
  std::vector<uint8_t> tail(size_t{1} << 16);
  size_t used = 0;
  copy.next_in = nullptr;
  copy.avail_in = 0;
  do {
    if (tail.size() - used < 4096) tail.resize(tail.size() * 2);
    copy.next_out = tail.data() + used;
    copy.avail_out = static_cast<uInt>(tail.size() - used);
    rc = deflate(&copy, Z_FINISH);
    used = tail.size() - copy.avail_out;
  } while (rc == Z_OK || rc == Z_BUF_ERROR);
  deflateEnd(&copy);
  if (rc != Z_STREAM_END) zlib_failed("deflate(Z_FINISH)", rc);
  tail.resize(used);
  return tail;
}

}  // namespace snapdelta::generate
