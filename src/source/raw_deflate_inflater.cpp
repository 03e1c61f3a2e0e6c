#include "source/raw_deflate_inflater.h"

#include <fmt/format.h>
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "common/error.h"

namespace snapdelta {
namespace {

constexpr size_t kOutChunk = 512 * 1024;

class RawInflater {
 public:
  RawInflater(const FileReader& file, uint64_t at, ByteSink& sink, std::string_view what)
      : file_(file),
        start_(at),
        in_pos_(at),
        sink_(sink),
        what_(what),
        state_(std::make_unique<inflate_state>()),
        in_(kRawInChunk),
        out_(kOutChunk) {
    isal_inflate_init(state_.get());
    state_->crc_flag = ISAL_DEFLATE;  // raw deflate: the caller checks the container's trailer
  }

  RawDeflateEnd run() {
    for (;;) {
      refill();
      state_->next_out = out_.data();
      state_->avail_out = static_cast<uint32_t>(out_.size());
      const int ret = isal_inflate(state_.get());
      if (ret < 0) corrupt(ret);
      const size_t produced = out_.size() - state_->avail_out;
      deliver(produced);
      if (state_->block_state == ISAL_BLOCK_FINISH) return finish();
      if (produced == 0 && state_->avail_in == 0 && in_pos_ >= file_.size()) truncated();
    }
  }

 private:
  void refill() {
    if (state_->avail_in != 0 || in_pos_ >= file_.size()) return;
    const size_t n = static_cast<size_t>(std::min<uint64_t>(in_.size(), file_.size() - in_pos_));
    file_.read_at(in_pos_, in_.data(), n);
    state_->next_in = in_.data();
    state_->avail_in = static_cast<uint32_t>(n);
    in_pos_ += n;
  }

  void deliver(size_t n) {
    if (n == 0) return;
    crc_ = crc32_gzip_refl(crc_, out_.data(), n);
    out_size_ += n;
    sink_.write(out_.data(), n);
  }

  // The stream ends in the byte holding its last bit; whole bytes still in the bit buffer were
  // read ahead past it.
  RawDeflateEnd finish() const {
    const int32_t bits = std::max<int32_t>(state_->read_in_length, 0);
    const uint64_t consumed = in_pos_ - state_->avail_in - static_cast<uint64_t>(bits / 8);
    return RawDeflateEnd{consumed - start_, out_size_, crc_};
  }

  [[noreturn]] void corrupt(int ret) const {
    fail(file_.path(),
         fmt::format("expected deflate data in {}, found corrupt bytes near byte {} (ISA-L error "
                     "{})",
                     what_, in_pos_ - state_->avail_in, ret));
  }

  [[noreturn]] void truncated() const {
    fail(file_.path(), fmt::format("expected the end of the deflate data of {}, found the end of "
                                   "the file at byte {} (truncated)",
                                   what_, file_.size()));
  }

  const FileReader& file_;
  const uint64_t start_;
  uint64_t in_pos_;
  ByteSink& sink_;
  std::string_view what_;
  std::unique_ptr<inflate_state> state_;
  std::vector<uint8_t> in_;
  std::vector<uint8_t> out_;
  uint32_t crc_ = 0;
  uint64_t out_size_ = 0;
};

}  // namespace

RawDeflateEnd inflate_raw_deflate(const FileReader& file, uint64_t at, ByteSink& sink,
                                  std::string_view what) {
  RawInflater inflater(file, at, sink, what);
  return inflater.run();
}

}  // namespace snapdelta
