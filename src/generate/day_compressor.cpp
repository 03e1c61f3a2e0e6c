#include "generate/day_compressor.h"

#include <zlib.h>
#include <zstd.h>

#include <string>

#include "common/error.h"

namespace snapdelta::generate {
namespace {

constexpr size_t kOutStep = size_t{1} << 16;

class GzipMemberCompressor : public DayCompressor {
 public:
  GzipMemberCompressor() {
    const int rc = deflateInit2(&strm_, kGzipLevel, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) throw Error("zlib: deflateInit2 failed with code " + std::to_string(rc));
  }
  ~GzipMemberCompressor() override { deflateEnd(&strm_); }

  void append(const void* data, size_t size, std::vector<uint8_t>& out) override {
    const auto* bytes = static_cast<const uint8_t*>(data);
    while (size > 0) {
      const size_t piece = size < (size_t{1} << 30) ? size : (size_t{1} << 30);
      run(bytes, piece, Z_NO_FLUSH, out);
      bytes += piece;
      size -= piece;
    }
  }

  void finish(std::vector<uint8_t>& out) override {
    run(nullptr, 0, Z_FINISH, out);
    deflateReset(&strm_);
  }

 private:
  void run(const uint8_t* data, size_t size, int flush, std::vector<uint8_t>& out) {
    strm_.next_in = const_cast<Bytef*>(data);
    strm_.avail_in = static_cast<uInt>(size);
    int rc = Z_OK;
    do {
      const size_t used = out.size();
      out.resize(used + kOutStep);
      strm_.next_out = out.data() + used;
      strm_.avail_out = static_cast<uInt>(kOutStep);
      rc = deflate(&strm_, flush);
      out.resize(out.size() - strm_.avail_out);
      if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END) {
        throw Error("zlib: deflate failed with code " + std::to_string(rc));
      }
    } while (strm_.avail_in > 0 || strm_.avail_out == 0 ||
             (flush == Z_FINISH && rc != Z_STREAM_END));
  }

  z_stream strm_{};
};

class ZstdFrameCompressor : public DayCompressor {
 public:
  explicit ZstdFrameCompressor(std::optional<uint64_t> content_size) : cctx_(ZSTD_createCCtx()) {
    if (cctx_ == nullptr) throw Error("zstd: cannot create a compression context (out of memory)");
    check(ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, kZstdLevel));
    check(ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1));
    if (content_size) check(ZSTD_CCtx_setPledgedSrcSize(cctx_, *content_size));
  }
  ~ZstdFrameCompressor() override { ZSTD_freeCCtx(cctx_); }

  void append(const void* data, size_t size, std::vector<uint8_t>& out) override {
    run(data, size, ZSTD_e_continue, out);
  }
  void finish(std::vector<uint8_t>& out) override { run(nullptr, 0, ZSTD_e_end, out); }

 private:
  static size_t check(size_t rc) {
    if (ZSTD_isError(rc)) throw Error(std::string("zstd: ") + ZSTD_getErrorName(rc));
    return rc;
  }

  void run(const void* data, size_t size, ZSTD_EndDirective mode, std::vector<uint8_t>& out) {
    ZSTD_inBuffer in{data, size, 0};
    size_t left = 0;
    do {
      const size_t used = out.size();
      out.resize(used + kOutStep);
      ZSTD_outBuffer o{out.data() + used, kOutStep, 0};
      left = check(ZSTD_compressStream2(cctx_, &o, &in, mode));
      out.resize(used + o.pos);
    } while (in.pos < in.size || (mode == ZSTD_e_end && left != 0));
  }

  ZSTD_CCtx* cctx_;
};

}  // namespace

std::unique_ptr<DayCompressor> make_gzip_member_compressor() {
  return std::make_unique<GzipMemberCompressor>();
}

std::unique_ptr<DayCompressor> make_zstd_frame_compressor(std::optional<uint64_t> content_size) {
  return std::make_unique<ZstdFrameCompressor>(content_size);
}

}  // namespace snapdelta::generate
