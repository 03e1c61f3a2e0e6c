#include "source/isal_inflater.h"

#include <fmt/format.h>
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "common/error.h"

namespace snapdelta {
namespace {

constexpr size_t kInChunk = 256 * 1024;
constexpr size_t kOutChunk = 512 * 1024;
constexpr size_t kWindow = 32768;
// Below this much free output space, flush first: ISA-L then never parks output internally.
constexpr size_t kMinFreeOut = 128 * 1024;

class Inflater {
 public:
  Inflater(const FileReader& file, const ZipEntry& entry, ByteSink& sink)
      : file_(file),
        entry_(entry),
        sink_(sink),
        state_(std::make_unique<inflate_state>()),
        in_(kInChunk),
        out_(kOutChunk) {
    isal_inflate_init(state_.get());
    state_->crc_flag = ISAL_DEFLATE;
    state_->next_out = out_.data();
    state_->avail_out = kOutChunk;
  }

  // Starts at a checkpoint instead of the stream's start: its window becomes the dictionary and the
  // bits of the partly used byte are preloaded into ISA-L's bit buffer (zlib's inflatePrime).
  void start_at(const Checkpoint& cp) {
    if (!cp.window.empty()) {
      std::vector<uint8_t> dict(cp.window.begin(), cp.window.end());
      if (isal_inflate_set_dict(state_.get(), dict.data(), static_cast<uint32_t>(dict.size())) !=
          COMP_OK) {
        throw Error("ISA-L refused a checkpoint window");
      }
    }
    window_.assign(cp.window.begin(), cp.window.end());
    in_pos_ = cp.in_byte;
    out_total_ = cp.out_offset;
    if (cp.bits) {
      uint8_t last = 0;
      file_.read_at(entry_.data_offset + cp.in_byte - 1, &last, 1);
      state_->read_in = static_cast<uint64_t>(last >> (8 - cp.bits));
      state_->read_in_length = cp.bits;
    }
  }

  std::optional<Checkpoint> run(uint64_t handoff_from, uint64_t* total_out) {
    for (;;) {
      const bool exhausted = state_->avail_in == 0 && in_pos_ >= entry_.compressed_size;
      if (state_->avail_in == 0 && !exhausted) {
        // Bulk feeding up to handoff_from; from there on one byte per call, so that a return
        // with the decoder between blocks pins the boundary's exact bit position.
        if (in_pos_ < handoff_from) {
          const uint64_t n = std::min<uint64_t>(
              {kInChunk, entry_.compressed_size - in_pos_, handoff_from - in_pos_});
          file_.read_at(entry_.data_offset + in_pos_, in_.data(), static_cast<size_t>(n));
          state_->next_in = in_.data();
          state_->avail_in = static_cast<uint32_t>(n);
          in_pos_ += n;
        } else {
          // Byte by byte out of a buffer read once per chunk.
          if (byte_next_ == byte_end_) {
            const uint64_t n = std::min<uint64_t>(kInChunk, entry_.compressed_size - in_pos_);
            file_.read_at(entry_.data_offset + in_pos_, in_.data(), static_cast<size_t>(n));
            byte_next_ = in_.data();
            byte_end_ = in_.data() + n;
          }
          state_->next_in = byte_next_++;
          state_->avail_in = 1;
          ++in_pos_;
        }
      }
      if (state_->avail_out < kMinFreeOut) flush();
      const auto before = state_->block_state;
      const uint32_t out_before = state_->avail_out;
      const int ret = isal_inflate(state_.get());
      if (ret < 0) {
        fail(entry_.archive_path,
             fmt::format("corrupt deflate data in {} near compressed byte {} (ISA-L error {})",
                         entry_.name, in_pos_ - state_->avail_in, ret));
      }
      if (state_->block_state == ISAL_BLOCK_FINISH ||
          state_->block_state == ISAL_BLOCK_INPUT_DONE) {
        // Drain anything ISA-L still holds for the final block.
        while (state_->block_state != ISAL_BLOCK_FINISH) {
          flush();
          if (isal_inflate(state_.get()) < 0) {
            fail(entry_.archive_path,
                 fmt::format("corrupt deflate data in {} at the end", entry_.name));
          }
          if (state_->avail_out == kOutChunk) break;
        }
        flush();
        *total_out = out_total_;
        return std::nullopt;
      }
      if (exhausted && state_->avail_out == out_before) {
        fail(entry_.archive_path,
             fmt::format("truncated deflate data in {}: stream ends early", entry_.name));
      }
      if (in_pos_ <= handoff_from || state_->avail_in != 0) continue;
      const uint64_t consumed = in_pos_;
      int64_t bitpos = -1;
      if (state_->block_state == ISAL_BLOCK_NEW_HDR) {
        bitpos = static_cast<int64_t>(consumed * 8) - state_->read_in_length;
      } else if (state_->block_state == ISAL_BLOCK_HDR && before != ISAL_BLOCK_HDR &&
                 state_->tmp_in_size >= 0) {
        // The next header did not fit in the input: ISA-L rewound its bit buffer to the header's
        // start and parked the bytes from there on.
        bitpos = static_cast<int64_t>((consumed - static_cast<uint64_t>(state_->tmp_in_size)) * 8) -
                 state_->read_in_length;
      }
      if (bitpos <= 0 || state_->tmp_out_valid != state_->tmp_out_processed) continue;
      flush();
      Checkpoint cp;
      cp.in_byte = static_cast<uint64_t>(bitpos + 7) / 8;
      cp.bits = static_cast<int>(cp.in_byte * 8 - static_cast<uint64_t>(bitpos));
      if (cp.bits) {
        uint8_t last = 0;
        file_.read_at(entry_.data_offset + cp.in_byte - 1, &last, 1);
        cp.low_bits = static_cast<uint8_t>(last & cp.low_mask());
      }
      cp.out_offset = out_total_;
      cp.window.assign(window_.begin(), window_.end());
      return cp;
    }
  }

 private:
  void flush() {
    const size_t n = kOutChunk - state_->avail_out;
    if (n > 0) {
      if (out_total_ + n > entry_.uncompressed_size) {
        fail(entry_.archive_path,
             fmt::format("corrupt zip: {} inflates beyond the {} bytes the archive declares",
                         entry_.name, entry_.uncompressed_size));
      }
      sink_.write(out_.data(), n);
      out_total_ += n;
      // Keep the last 32 KiB delivered: the window a resumed inflater needs.
      if (n >= kWindow) {
        window_.assign(out_.data() + n - kWindow, out_.data() + n);
      } else {
        window_.insert(window_.end(), out_.data(), out_.data() + n);
        if (window_.size() > kWindow) window_.erase(window_.begin(), window_.end() - kWindow);
      }
    }
    state_->next_out = out_.data();
    state_->avail_out = kOutChunk;
  }

  const FileReader& file_;
  const ZipEntry& entry_;
  ByteSink& sink_;
  std::unique_ptr<inflate_state> state_;
  std::vector<uint8_t> in_;
  std::vector<uint8_t> out_;
  std::vector<uint8_t> window_;
  uint64_t in_pos_ = 0;  // compressed bytes handed to ISA-L so far
  uint64_t out_total_ = 0;
  uint8_t* byte_next_ = nullptr;  // byte-by-byte feeding: next byte and end of the read buffer
  uint8_t* byte_end_ = nullptr;
};

}  // namespace

std::optional<Checkpoint> isal_inflate_prefix(const FileReader& file, const ZipEntry& entry,
                                              uint64_t handoff_from, ByteSink& sink,
                                              uint64_t* total_out, const Checkpoint* start) {
  Inflater inflater(file, entry, sink);
  if (start) inflater.start_at(*start);
  return inflater.run(handoff_from, total_out);
}

}  // namespace snapdelta
