#define ZSTD_STATIC_LINKING_ONLY  // the block API, ZSTD_initStaticDCtx, ZSTD_estimateDCtxSize
#include "source/zstd_reader.h"

#include <fmt/format.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

#include "common/error.h"
#include "common/huge_buffer.h"
#include "source/xxh64.h"

namespace snapdelta {
namespace {

constexpr size_t kBlockMax = 128 * 1024;  // ZSTD_BLOCKSIZE_MAX
constexpr size_t kBlockHeader = 3;
constexpr size_t kChecksum = 4;
constexpr size_t kInChunk = 256 * 1024;  // holds the largest block and its header, and more
// Room a compressed block needs where it is written: its output, then its literals (libzstd puts
// them past a whole block of output when the buffer has room, instead of splitting them through
// a side buffer and moving them), each with libzstd's wildcopy slack.
constexpr size_t kBlockRoom = 2 * kBlockMax + 256;
constexpr size_t kHugeFrom = 1 << 20;

// One block of memory for a decoder of `frames`: libzstd's context, the ring the blocks are
// decoded into (the largest window among the frames, capped at the limit, and room for two blocks
// on either side of it, see FrameDecoder), then the input chunk. A megabyte or more goes on huge
// pages: faulted in page by page, a 2 MiB window cost more here than decoding a day's frame.
class DecoderMemory {
 public:
  explicit DecoderMemory(const std::vector<ZstdFrame>& frames) {
    uint64_t window = uint64_t{1} << 10;  // libzstd's smallest window
    for (const ZstdFrame& f : frames) window = std::max(window, f.window_size);
    window = std::min<uint64_t>(window, uint64_t{1} << kZstdWindowLogMax);
    context_ = ZSTD_estimateDCtxSize();
    ring_ = static_cast<size_t>(window) + 2 * kBlockRoom;
    const size_t bytes = context_ + ring_ + kInChunk;
    if (bytes >= kHugeFrom) {
      huge_.emplace(bytes);
    } else {
      small_.resize(bytes);
    }
  }
  uint8_t* context() { return base(); }
  size_t context_size() const { return context_; }
  uint8_t* ring() { return base() + context_; }
  size_t ring_size() const { return ring_; }
  uint8_t* in() { return base() + context_ + ring_; }

 private:
  uint8_t* base() { return huge_ ? huge_->data() : small_.data(); }
  size_t context_ = 0;
  size_t ring_ = 0;
  std::optional<HugeBuffer> huge_;
  std::vector<uint8_t> small_;
};

// The bytes of one frame after its header, read in chunks into `buf` (kInChunk bytes); take()
// hands out the next `n` bytes (n <= kInChunk) in one piece.
class FrameInput {
 public:
  FrameInput(const FileReader& file, uint8_t* buf, const ZstdFrame& f)
      : file_(file), buf_(buf), at_(f.offset + f.header_size), buf_at_(at_), end_(f.end()) {}

  // Null when the frame ends before n more bytes.
  const uint8_t* take(size_t n) {
    if (at_ + n > buf_at_ + buf_len_) refill();
    if (at_ + n > buf_at_ + buf_len_) return nullptr;
    const uint8_t* p = buf_ + (at_ - buf_at_);
    at_ += n;
    return p;
  }

 private:
  // Keeps the bytes not taken yet at the buffer's start and reads after them.
  void refill() {
    const auto keep = static_cast<size_t>(buf_at_ + buf_len_ - at_);
    std::memmove(buf_, buf_ + (at_ - buf_at_), keep);
    buf_at_ = at_;
    const auto more = static_cast<size_t>(std::min<uint64_t>(kInChunk - keep, end_ - at_ - keep));
    file_.read_at(at_ + keep, buf_ + keep, more);
    buf_len_ = keep + more;
  }

  const FileReader& file_;
  uint8_t* buf_;
  uint64_t at_;      // the next byte to take (file offset)
  uint64_t buf_at_;  // the file offset of buf_[0]
  size_t buf_len_ = 0;
  uint64_t end_;
};

// Decodes frames block by block (libzstd's block API) into a ring: each block is written after
// the one before, or back at the ring's start when fewer than kBlockRoom bytes are left, so the
// window's bytes stay where libzstd reads its matches (its history continues across the jump as
// an external segment) and nothing a match may reach is overwritten: the ring holds the window
// and a block's room on either side. Each block goes to the sink straight from the ring, with
// its literals decoded in place (no copy out of libzstd's buffers); the content checksum (XXH64)
// and content size are checked here.
class FrameDecoder {
 public:
  FrameDecoder(const FileReader& file, ByteSink& sink, const std::vector<ZstdFrame>& frames)
      : file_(file), sink_(sink), memory_(frames) {
    // Aligned to 8 (huge page or operator new), large enough by construction.
    dctx_ = ZSTD_initStaticDCtx(memory_.context(), memory_.context_size());
    if (!dctx_) throw Error("zstd: cannot lay out a decompression context");
  }

  // Decompresses one (not skippable) frame; returns its uncompressed size.
  uint64_t decode(const ZstdFrame& f) {
    check_decodable(f);
    FrameInput in(file_, memory_.in(), f);
    Xxh64 sum;
    uint64_t produced = 0;
    size_t pos = 0;
    for (bool last = false; !last;) {
      const uint8_t* h = take(in, f, kBlockHeader);
      const uint32_t header = h[0] | h[1] << 8 | h[2] << 16;
      last = (header & 1) != 0;
      if (memory_.ring_size() - pos < kBlockRoom) pos = 0;
      uint8_t* out = memory_.ring() + pos;
      const size_t n = block(f, in, header, out, memory_.ring_size() - pos);
      if (f.has_checksum) sum.update(out, n);
      sink_.write(out, n);
      pos += n;
      produced += n;
    }
    if (f.content_size && produced != *f.content_size) {
      fail_frame(
          f, fmt::format("the {} bytes its header declares, found {}", *f.content_size, produced));
    }
    if (f.has_checksum) check_sum(f, take(in, f, kChecksum), sum.digest());
    return produced;
  }

 private:
  void check_decodable(const ZstdFrame& f) const {
    if (f.window_size > uint64_t{1} << kZstdWindowLogMax) {
      decode_error(f, ZSTD_error_frameParameter_windowTooLarge);
    }
    if (f.dict_id != 0) decode_error(f, ZSTD_error_dictionary_wrong);  // no dictionary is given
    const size_t rc = ZSTD_decompressBegin(dctx_);
    if (ZSTD_isError(rc)) decode_error(f, ZSTD_getErrorCode(rc));
  }

  const uint8_t* take(FrameInput& in, const ZstdFrame& f, size_t n) const {
    const uint8_t* p = in.take(n);
    if (!p) fail_frame(f, "the frame's end, found its last block cut short (corrupt)");
    return p;
  }

  // Decodes the block whose 3-byte header is `header` into `out`; returns its size.
  size_t block(const ZstdFrame& f, FrameInput& in, uint32_t header, uint8_t* out, size_t capacity) {
    const unsigned type = (header >> 1) & 3;
    const size_t size = header >> 3;
    if (type == 3 || size > std::min<uint64_t>(f.block_size_max, kBlockMax)) {
      decode_error(f, ZSTD_error_corruption_detected);
    }
    if (type == 2) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"  // the block API, kept by libzstd
      const size_t rc = ZSTD_decompressBlock(dctx_, out, capacity, take(in, f, size), size);
#pragma GCC diagnostic pop
      if (ZSTD_isError(rc)) decode_error(f, ZSTD_getErrorCode(rc));
      if (rc > f.block_size_max) decode_error(f, ZSTD_error_corruption_detected);
      return rc;
    }
    if (type == 0) {
      std::memcpy(out, take(in, f, size), size);
    } else {
      std::memset(out, *take(in, f, 1), size);
    }
    ZSTD_insertBlock(dctx_, out, size);  // a raw or RLE block joins the history as it is
    return size;
  }

  void check_sum(const ZstdFrame& f, const uint8_t* stored, uint64_t digest) const {
    const uint32_t want =
        stored[0] | stored[1] << 8 | stored[2] << 16 | static_cast<uint32_t>(stored[3]) << 24;
    if (want != static_cast<uint32_t>(digest)) decode_error(f, ZSTD_error_checksum_wrong);
  }

  [[noreturn]] void fail_frame(const ZstdFrame& f, const std::string& found) const {
    fail(file_.path(), fmt::format("expected zstd frame {} at byte {} to decode to {}", f.index + 1,
                                   f.offset, found));
  }

  [[noreturn]] void decode_error(const ZstdFrame& f, ZSTD_ErrorCode code) const {
    if (code == ZSTD_error_checksum_wrong) {
      fail(file_.path(), fmt::format("expected the content checksum of zstd frame {} at byte {} "
                                     "to match its data, found a mismatch (corrupt)",
                                     f.index + 1, f.offset));
    }
    fail(file_.path(), fmt::format("expected zstd frame {} at byte {} to decode, found corrupt "
                                   "data ({})",
                                   f.index + 1, f.offset, ZSTD_getErrorString(code)));
  }

  const FileReader& file_;
  ByteSink& sink_;
  DecoderMemory memory_;
  ZSTD_DCtx* dctx_ = nullptr;  // lives in memory_
};

}  // namespace

std::vector<ZstdFrameRead> decompress_zstd(const FileReader& file, ByteSink& sink,
                                           const ZstdStart& from, uint64_t out_offset) {
  const std::vector<ZstdFrame> frames = list_zstd_frames(file, from);
  FrameDecoder decoder(file, sink, frames);
  std::vector<ZstdFrameRead> read;
  read.reserve(frames.size());
  for (const ZstdFrame& f : frames) {
    const uint64_t size = f.skippable ? 0 : decoder.decode(f);
    read.push_back(ZstdFrameRead{f, out_offset, size});
    out_offset += size;
  }
  return read;
}

}  // namespace snapdelta
