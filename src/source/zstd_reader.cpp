#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_initStaticDStream, ZSTD_estimateDStreamSize
#include "source/zstd_reader.h"

#include <fmt/format.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <optional>
#include <string>

#include "common/error.h"
#include "common/huge_buffer.h"

namespace snapdelta {
namespace {

constexpr size_t kInChunk = 128 * 1024;
constexpr size_t kOutChunk = 128 * 1024;
constexpr size_t kHugeFrom = 1 << 20;

// One block of memory for a decoder of `frames`: libzstd's context and window, sized for the
// largest window among them (capped at the limit: a larger one fails in decode, as libzstd says),
// then the input and output chunks. A window of a megabyte or more goes on huge pages: libzstd
// would malloc it and fault it in page by page, which here cost more than decoding a day's frame.
class DecoderMemory {
 public:
  explicit DecoderMemory(const std::vector<ZstdFrame>& frames) {
    uint64_t window = uint64_t{1} << 10;  // libzstd's smallest window: it decodes at least that
    for (const ZstdFrame& f : frames) window = std::max(window, f.window_size);
    window = std::min<uint64_t>(window, uint64_t{1} << kZstdWindowLogMax);
    context_ = ZSTD_estimateDStreamSize(static_cast<size_t>(window));
    const size_t bytes = context_ + kInChunk + kOutChunk;
    if (bytes >= kHugeFrom) {
      huge_.emplace(bytes);
    } else {
      small_.resize(bytes);
    }
  }
  uint8_t* context() { return base(); }
  size_t context_size() const { return context_; }
  uint8_t* in() { return base() + context_; }
  uint8_t* out() { return base() + context_ + kInChunk; }

 private:
  uint8_t* base() { return huge_ ? huge_->data() : small_.data(); }
  size_t context_ = 0;
  std::optional<HugeBuffer> huge_;
  std::vector<uint8_t> small_;
};

class FrameDecoder {
 public:
  FrameDecoder(const FileReader& file, ByteSink& sink, const std::vector<ZstdFrame>& frames)
      : file_(file), sink_(sink), memory_(frames) {
    // Aligned to 8 (huge page or operator new), large enough by construction.
    dctx_ = ZSTD_initStaticDStream(memory_.context(), memory_.context_size());
    if (!dctx_) throw Error("zstd: cannot lay out a decompression context");
    ZSTD_DCtx_setParameter(dctx_, ZSTD_d_windowLogMax, kZstdWindowLogMax);
  }

  // Decompresses one (not skippable) frame; returns its uncompressed size.
  uint64_t decode(const ZstdFrame& f) {
    ZSTD_DCtx_reset(dctx_, ZSTD_reset_session_only);
    uint64_t produced = 0;
    size_t rc = 1;
    for (uint64_t at = f.offset; rc != 0;) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(kInChunk, f.end() - at));
      if (n == 0) fail_frame(f, "the frame's end, found its last block cut short (corrupt)");
      file_.read_at(at, memory_.in(), n);
      at += n;
      ZSTD_inBuffer in{memory_.in(), n, 0};
      while (rc != 0 && (in.pos < in.size || rc_needs_flush_)) {
        ZSTD_outBuffer out{memory_.out(), kOutChunk, 0};
        rc = ZSTD_decompressStream(dctx_, &out, &in);
        if (ZSTD_isError(rc)) decode_error(f, rc);
        rc_needs_flush_ = out.pos == out.size;
        sink_.write(memory_.out(), out.pos);
        produced += out.pos;
      }
    }
    return produced;
  }

 private:
  [[noreturn]] void fail_frame(const ZstdFrame& f, const std::string& found) const {
    fail(file_.path(), fmt::format("expected zstd frame {} at byte {} to decode to {}", f.index + 1,
                                   f.offset, found));
  }

  [[noreturn]] void decode_error(const ZstdFrame& f, size_t rc) const {
    if (ZSTD_getErrorCode(rc) == ZSTD_error_checksum_wrong) {
      fail(file_.path(), fmt::format("expected the content checksum of zstd frame {} at byte {} "
                                     "to match its data, found a mismatch (corrupt)",
                                     f.index + 1, f.offset));
    }
    fail(file_.path(), fmt::format("expected zstd frame {} at byte {} to decode, found corrupt "
                                   "data ({})",
                                   f.index + 1, f.offset, ZSTD_getErrorName(rc)));
  }

  const FileReader& file_;
  ByteSink& sink_;
  DecoderMemory memory_;
  ZSTD_DCtx* dctx_ = nullptr;  // lives in memory_
  bool rc_needs_flush_ = false;
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
