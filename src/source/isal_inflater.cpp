#include "source/isal_inflater.h"

#include <fmt/format.h>
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "common/error.h"
#include "source/deflate_window.h"
#include "source/hash.h"
#include "source/isal_boundary_search.h"

namespace snapdelta {
namespace {

constexpr size_t kInChunk = 256 * 1024;
constexpr size_t kOutChunk = 512 * 1024;
// Below this much free output space, flush first: ISA-L then never parks output internally.
constexpr size_t kMinFreeOut = 128 * 1024;

class Inflater {
 public:
  Inflater(const Drop& drop, const InflateOptions& options, ByteSink& sink)
      : file_(drop.file()),
        entry_(drop.entry()),
        options_(options),
        sink_(sink),
        state_(std::make_unique<inflate_state>()),
        in_(kInChunk),
        out_(kOutChunk),
        search_(drop, in_, out_.data(), window_) {
    isal_inflate_init(state_.get());
    state_->crc_flag = ISAL_DEFLATE;
    state_->next_out = out_.data();
    state_->avail_out = kOutChunk;
  }

  // Starts at a checkpoint instead of the stream's start: its window becomes the dictionary and the
  // bits of the partly used byte are preloaded into ISA-L's bit buffer (zlib's inflatePrime).
  void start_at(const Checkpoint& cp) {
    const std::string* window = cp.window.bytes();
    if (!window) throw Error("unusable checkpoint window");
    if (!window->empty()) {
      std::vector<uint8_t> dict(window->begin(), window->end());
      if (isal_inflate_set_dict(state_.get(), dict.data(), static_cast<uint32_t>(dict.size())) !=
          COMP_OK) {
        throw Error("ISA-L refused a checkpoint window");
      }
    }
    window_.assign(window->begin(), window->end());
    in_pos_ = cp.in_byte;
    out_total_ = cp.out_offset;
    if (cp.bits) {
      uint8_t last = 0;
      file_.read_at(entry_.data_offset + cp.in_byte - 1, &last, 1);
      state_->read_in = static_cast<uint64_t>(last >> (8 - cp.bits));
      state_->read_in_length = cp.bits;
    }
    // The point resumed from is a block boundary too: keep it, or a stream that ends within the
    // next block (a small day) would leave no checkpoint at all.
    if (capturing() && cp.in_byte >= options_.capture_from && cp.in_byte > 0) {
      add_capture(Checkpoint(cp));
    }
  }

  // Bulk input up to search_from (capture_from when capturing), then the boundary search's steps
  // (isal_boundary_search.h) to the end.
  IsalResult run() {
    const uint64_t search_from = capturing() ? options_.capture_from : entry_.compressed_size;
    for (;;) {
      const bool exhausted = state_->avail_in == 0 && in_pos_ >= entry_.compressed_size;
      const bool searching = feed(exhausted, search_from);
      if (!searching && state_->avail_out < kMinFreeOut) flush();
      const auto before = state_->block_state;
      const uint32_t out_before = state_->avail_out;
      inflate();
      const bool ended =
          state_->block_state == ISAL_BLOCK_FINISH || state_->block_state == ISAL_BLOCK_INPUT_DONE;
      if (ended && searching && search_.retake_before_final_block(*state_, in_pos_)) continue;
      if (ended) return finish();
      if (exhausted && state_->avail_out == out_before) {
        fail(entry_.archive_path,
             fmt::format("truncated deflate data in {}: stream ends early", entry_.name));
      }
      if (!searching) {
        check_bulk_end(before, search_from);
      } else if (std::optional<IsalResult> handoff = after_search_step(before, out_before)) {
        return std::move(*handoff);
      }
    }
  }

 private:
  // A checkpoint being captured: its hasher sees every byte after its out_offset.
  struct Capture {
    Checkpoint point;
    Hasher tail;
  };

  // Gives ISA-L its next input once it used up the last: bulk reads up to search_from, search steps
  // from there on. Returns whether the input is a search step.
  bool feed(bool exhausted, uint64_t search_from) {
    if (state_->avail_in != 0 || exhausted) return false;
    if (in_pos_ < search_from) {
      const uint64_t n =
          std::min<uint64_t>({kInChunk, entry_.compressed_size - in_pos_, search_from - in_pos_});
      file_.read_at(entry_.data_offset + in_pos_, in_.data(), static_cast<size_t>(n));
      state_->next_in = in_.data();
      state_->avail_in = static_cast<uint32_t>(n);
      in_pos_ += n;
      return false;
    }
    search_.refill(in_pos_);
    if (state_->avail_out < kMinFreeOut) flush();
    search_.step(*state_, in_pos_);
    return true;
  }

  void inflate() {
    const int ret = isal_inflate(state_.get());
    if (ret < 0) {
      fail(entry_.archive_path,
           fmt::format("expected deflate data in {}, found corrupt bytes near compressed byte {} "
                       "(ISA-L error {})",
                       entry_.name, in_pos_ - state_->avail_in, ret));
    }
  }

  // Drains anything ISA-L still holds for the final block, then delivers the captures.
  IsalResult finish() {
    while (state_->block_state != ISAL_BLOCK_FINISH) {
      flush();
      if (isal_inflate(state_.get()) < 0) {
        fail(entry_.archive_path,
             fmt::format("expected deflate data in {} to its end, found corrupt bytes at the end",
                         entry_.name));
      }
      if (state_->avail_out == kOutChunk) break;
    }
    flush();
    finish_captures();
    if (options_.stream_end) {
      // Whole bytes still in the bit buffer were read ahead past the stream's last byte.
      const auto ahead = static_cast<uint64_t>(std::max<int32_t>(state_->read_in_length, 0) / 8);
      *options_.stream_end = in_pos_ - state_->avail_in - ahead;
    }
    return IsalResult{out_total_, std::nullopt};
  }

  // Bulk input that ended right at capture_from may have stopped on a boundary.
  void check_bulk_end(isal_block_state before, uint64_t search_from) {
    if (capturing() && state_->avail_in == 0 && in_pos_ == search_from && !start_checked_) {
      start_checked_ = true;
      if (at_boundary(before)) add_capture(checkpoint_here());
    }
  }

  // Judges a search step just inflated: captures the boundary it stopped at, or returns the
  // result that hands over to zlib there.
  std::optional<IsalResult> after_search_step(isal_block_state before, uint32_t out_before) {
    if (state_->avail_in != 0) {
      search_.output_filled(*state_, in_pos_);
      return std::nullopt;
    }
    const bool ended_between_blocks = at_boundary(before);
    switch (search_.judge(*state_, in_pos_, ended_between_blocks, out_before - state_->avail_out)) {
      case IsalBoundarySearch::Verdict::kHandOver: {
        const uint64_t total = out_total_;  // as delivered before the checkpoint's flush
        return IsalResult{total, checkpoint_here()};
      }
      case IsalBoundarySearch::Verdict::kBoundary:
        add_capture(checkpoint_here());
        break;
      case IsalBoundarySearch::Verdict::kRetaken:
      case IsalBoundarySearch::Verdict::kGoOn:
        break;
    }
    return std::nullopt;
  }

  // After a call that used up its input: the bit position where the decoder stopped between
  // blocks, or -1.
  int64_t boundary_bitpos(isal_block_state before) const {
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
    if (bitpos <= 0 || state_->tmp_out_valid != state_->tmp_out_processed) return -1;
    return bitpos;
  }

  bool at_boundary(isal_block_state before) {
    boundary_ = boundary_bitpos(before);
    return boundary_ > 0;
  }

  Checkpoint checkpoint_here() {
    flush();
    Checkpoint cp;
    cp.in_byte = static_cast<uint64_t>(boundary_ + 7) / 8;
    cp.bits = static_cast<int>(cp.in_byte * 8 - static_cast<uint64_t>(boundary_));
    if (cp.bits) {
      uint8_t last = 0;
      file_.read_at(entry_.data_offset + cp.in_byte - 1, &last, 1);
      cp.low_bits = static_cast<uint8_t>(last & cp.low_mask());
    }
    cp.out_offset = out_total_;
    cp.window = CheckpointWindow::from_raw(std::string(window_.begin(), window_.end()));
    return cp;
  }

  bool capturing() const { return options_.captured != nullptr; }

  void add_capture(Checkpoint cp) {
    if (cp.in_byte < options_.capture_from) return;  // its header began before capture_from
    if (!captures_.empty() && captures_.back().point.out_offset >= cp.out_offset) return;  // seen
    captures_.push_back(Capture{std::move(cp), Hasher()});
    if (captures_.size() > options_.keep) captures_.pop_front();
  }

  void finish_captures() {
    if (!capturing()) return;
    for (Capture& c : captures_) {
      c.point.tail_hash = c.tail.digest();
      options_.captured->push_back(std::move(c.point));
    }
    captures_.clear();
  }

  void flush() {
    const size_t n = kOutChunk - state_->avail_out;
    if (n > 0) {
      if (out_total_ + n > entry_.uncompressed_size) {
        fail(entry_.archive_path,
             fmt::format("expected {} to inflate to the {} bytes the archive declares, found "
                         "more (corrupt zip)",
                         entry_.name, entry_.uncompressed_size));
      }
      sink_.write(out_.data(), n);
      for (Capture& c : captures_) c.tail.update(out_.data(), n);
      out_total_ += n;
      // Keep the last 32 KiB delivered: the window a resumed inflater needs.
      if (n >= kDeflateWindow) {
        window_.assign(out_.data() + n - kDeflateWindow, out_.data() + n);
      } else {
        window_.insert(window_.end(), out_.data(), out_.data() + n);
        if (window_.size() > kDeflateWindow) {
          window_.erase(window_.begin(), window_.end() - kDeflateWindow);
        }
      }
    }
    state_->next_out = out_.data();
    state_->avail_out = kOutChunk;
  }

  const FileReader& file_;
  const ZipEntry& entry_;
  const InflateOptions& options_;
  ByteSink& sink_;
  std::unique_ptr<inflate_state> state_;
  std::vector<uint8_t> in_;
  std::vector<uint8_t> out_;
  std::vector<uint8_t> window_;
  uint64_t in_pos_ = 0;  // compressed bytes handed to ISA-L so far
  uint64_t out_total_ = 0;
  int64_t boundary_ = -1;  // bit position of the boundary the decoder stopped at
  bool start_checked_ = false;
  std::deque<Capture> captures_;
  IsalBoundarySearch search_;
};

}  // namespace

IsalResult isal_inflate_member(const Drop& drop, const InflateOptions& options, ByteSink& sink) {
  Inflater inflater(drop, options, sink);
  if (options.resume) inflater.start_at(*options.resume);
  return inflater.run();
}

}  // namespace snapdelta
