#include "source/zstd_reader.h"

#include <fmt/format.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <memory>
#include <string>

#include "common/error.h"

namespace snapdelta {
namespace {

constexpr size_t kInChunk = 256 * 1024;
constexpr size_t kOutChunk = 512 * 1024;

struct DctxFree {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

class FrameDecoder {
 public:
  FrameDecoder(const FileReader& file, ByteSink& sink)
      : file_(file), sink_(sink), dctx_(ZSTD_createDCtx()), in_(kInChunk), out_(kOutChunk) {
    if (!dctx_) throw Error("zstd: cannot create a decompression context (out of memory)");
    ZSTD_DCtx_setParameter(dctx_.get(), ZSTD_d_windowLogMax, kZstdWindowLogMax);
  }

  // Decompresses one (not skippable) frame; returns its uncompressed size.
  uint64_t decode(const ZstdFrame& f) {
    ZSTD_DCtx_reset(dctx_.get(), ZSTD_reset_session_only);
    uint64_t produced = 0;
    size_t rc = 1;
    for (uint64_t at = f.offset; rc != 0;) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(in_.size(), f.end() - at));
      if (n == 0) fail_frame(f, "the frame's end, found its last block cut short (corrupt)");
      file_.read_at(at, in_.data(), n);
      at += n;
      ZSTD_inBuffer in{in_.data(), n, 0};
      while (rc != 0 && (in.pos < in.size || rc_needs_flush_)) {
        ZSTD_outBuffer out{out_.data(), out_.size(), 0};
        rc = ZSTD_decompressStream(dctx_.get(), &out, &in);
        if (ZSTD_isError(rc)) decode_error(f, rc);
        rc_needs_flush_ = out.pos == out.size;
        sink_.write(out_.data(), out.pos);
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
  std::unique_ptr<ZSTD_DCtx, DctxFree> dctx_;
  std::vector<uint8_t> in_;
  std::vector<uint8_t> out_;
  bool rc_needs_flush_ = false;
};

}  // namespace

std::vector<ZstdFrameRead> decompress_zstd(const FileReader& file, ByteSink& sink,
                                           const ZstdStart& from, uint64_t out_offset) {
  const std::vector<ZstdFrame> frames = list_zstd_frames(file, from);
  FrameDecoder decoder(file, sink);
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
