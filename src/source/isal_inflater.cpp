#include "source/isal_inflater.h"

#include <fmt/format.h>
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <deque>
#include <memory>
#include <vector>

#include "common/error.h"
#include "common/hash.h"
#include "source/deflate_window.h"

namespace snapdelta {
namespace {

constexpr size_t kInChunk = 256 * 1024;
constexpr size_t kOutChunk = 512 * 1024;
// Below this much free output space, flush first: ISA-L then never parks output internally.
constexpr size_t kMinFreeOut = 128 * 1024;
// Boundary search: first step size, and how far to step through coded blocks without a sign of a
// new one before suspecting fixed tables (which leave none) and going byte by byte.
constexpr size_t kFirstStep = 4096;
constexpr uint64_t kMaxSteppedSearch = 128 * 1024;

class Inflater {
 public:
  Inflater(const Drop& drop, const InflateOptions& options, ByteSink& sink)
      : file_(drop.file()),
        entry_(drop.entry()),
        options_(options),
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
    // The point resumed from is a block boundary too: keep it, or a stream that ends within the
    // next block (a small day) would leave no checkpoint at all.
    if (capturing() && cp.in_byte >= options_.capture_from && cp.in_byte > 0) {
      add_capture(Checkpoint(cp));
    }
  }

  IsalResult run() {
    const uint64_t search_from = capturing() ? options_.capture_from : entry_.compressed_size;
    for (;;) {
      const bool exhausted = state_->avail_in == 0 && in_pos_ >= entry_.compressed_size;
      bool searching = false;
      if (state_->avail_in == 0 && !exhausted) {
        if (in_pos_ < search_from) {
          const uint64_t n = std::min<uint64_t>(
              {kInChunk, entry_.compressed_size - in_pos_, search_from - in_pos_});
          file_.read_at(entry_.data_offset + in_pos_, in_.data(), static_cast<size_t>(n));
          state_->next_in = in_.data();
          state_->avail_in = static_cast<uint32_t>(n);
          in_pos_ += n;
        } else {
          searching = true;
          feed_search_step();
        }
      }
      if (!searching && state_->avail_out < kMinFreeOut) flush();
      const auto before = state_->block_state;
      const uint32_t out_before = state_->avail_out;
      const int ret = isal_inflate(state_.get());
      if (ret < 0) {
        fail(entry_.archive_path,
             fmt::format("corrupt deflate data in {} near compressed byte {} (ISA-L error {})",
                         entry_.name, in_pos_ - state_->avail_in, ret));
      }
      const bool ended =
          state_->block_state == ISAL_BLOCK_FINISH || state_->block_state == ISAL_BLOCK_INPUT_DONE;
      if (ended && searching && step_ > 1 &&
          (tables_changed() || snapshot_->block_state != ISAL_BLOCK_CODED)) {
        narrow_search();  // the last step may hold boundaries before the final block
        continue;
      }
      if (ended) {
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
        finish_captures();
        return IsalResult{out_total_, std::nullopt};
      }
      if (exhausted && state_->avail_out == out_before) {
        fail(entry_.archive_path,
             fmt::format("truncated deflate data in {}: stream ends early", entry_.name));
      }
      if (!searching) {
        // Bulk input that ended right at capture_from may have stopped on a boundary.
        if (capturing() && state_->avail_in == 0 && in_pos_ == search_from && !start_checked_) {
          start_checked_ = true;
          if (at_boundary(before)) add_capture(checkpoint_here());
        }
        continue;
      }
      if (state_->avail_in != 0) {
        // The output filled up inside a step: take it again in smaller steps.
        if (step_ > 1) narrow_search();
        continue;
      }
      // A step longer than a byte may hold more than one boundary, and ISA-L shows only the last.
      const bool ended_between_blocks = at_boundary(before);
      if (step_ > 1 &&
          (ended_between_blocks ? tables_changed()
                                : block_may_have_begun(out_before - state_->avail_out))) {
        narrow_search();  // a block began within this step: take the step again in smaller ones
      } else if (ended_between_blocks) {
        if (blind_) return IsalResult{out_total_, checkpoint_here()};
        add_capture(checkpoint_here());
        step_ = kFirstStep;
        range_end_ = 0;
        searched_ = 0;
      } else if (range_end_ != 0 && in_pos_ >= range_end_) {
        range_end_ = 0;  // the narrowed range held no boundary (the alarm was false)
        step_ = kFirstStep;
      } else if (step_ > 1 && state_->block_state == ISAL_BLOCK_CODED &&
                 (searched_ += step_) > kMaxSteppedSearch) {
        step_ = 1;  // blocks that leave no trace in the state (fixed tables): single bytes to the
        blind_ = true;  // next boundary, where zlib takes over
      }
    }
  }

 private:
  // Boundary search: the input from capture_from on goes in steps of step_ bytes. ISA-L reports a
  // boundary only when its input ends just there, so a step that reads a new block header is taken
  // again from a snapshot of the state in steps of 1/16 the size, down to single bytes.
  void feed_search_step() {
    if (byte_next_ == byte_end_) {
      const uint64_t n = std::min<uint64_t>(kInChunk, entry_.compressed_size - in_pos_);
      file_.read_at(entry_.data_offset + in_pos_, in_.data(), static_cast<size_t>(n));
      byte_next_ = in_.data();
      byte_end_ = in_.data() + n;
    }
    size_t n = std::min<size_t>(step_, static_cast<size_t>(byte_end_ - byte_next_));
    if (range_end_ != 0) n = std::min<size_t>(n, static_cast<size_t>(range_end_ - in_pos_));
    if (state_->avail_out < kMinFreeOut) flush();
    if (step_ > 1) {
      // No flush may happen until the step is judged: restoring rewinds the output in place.
      if (!snapshot_) snapshot_ = std::make_unique<inflate_state>();
      std::memcpy(snapshot_.get(), state_.get(), live_size(*state_));
      snapshot_next_ = byte_next_;
      snapshot_in_pos_ = in_pos_;
    }
    state_->next_in = byte_next_;
    state_->avail_in = static_cast<uint32_t>(n);
    byte_next_ += n;
    in_pos_ += n;
  }

  // The part of the state that matters: all but the unused end of its output buffer.
  static size_t live_size(const inflate_state& s) {
    const auto used = static_cast<size_t>(std::max<int32_t>(0, s.tmp_out_valid));
    return offsetof(inflate_state, tmp_out_buffer) + std::min(used, sizeof(s.tmp_out_buffer));
  }

  void narrow_search() {
    range_end_ = in_pos_;
    std::memcpy(state_.get(), snapshot_.get(), live_size(*snapshot_));
    byte_next_ = snapshot_next_;
    in_pos_ = snapshot_in_pos_;
    step_ = std::max<size_t>(1, step_ / 16);
  }

  // Whether the step just taken (which produced `out` bytes) may have crossed into a new block:
  // a new header rebuilt the code tables, the kind of block changed, or a stored block's remaining
  // length moved by other than what it delivered.
  bool block_may_have_begun(uint32_t out) const {
    if (state_->block_state != snapshot_->block_state) return true;
    if (state_->block_state == ISAL_BLOCK_TYPE0) {
      return static_cast<int64_t>(snapshot_->type0_block_len) - state_->type0_block_len != out;
    }
    return tables_changed();
  }

  bool tables_changed() const {
    return std::memcmp(&snapshot_->lit_huff_code, &state_->lit_huff_code,
                       sizeof(state_->lit_huff_code)) != 0 ||
           std::memcmp(&snapshot_->dist_huff_code, &state_->dist_huff_code,
                       sizeof(state_->dist_huff_code)) != 0;
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
    cp.window.assign(window_.begin(), window_.end());
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
             fmt::format("corrupt zip: {} inflates beyond the {} bytes the archive declares",
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
  // A checkpoint being captured: its hasher sees every byte after its out_offset.
  struct Capture {
    Checkpoint point;
    Hasher tail;
  };

  const ZipEntry& entry_;
  const InflateOptions& options_;
  ByteSink& sink_;
  std::unique_ptr<inflate_state> state_;
  std::vector<uint8_t> in_;
  std::vector<uint8_t> out_;
  std::vector<uint8_t> window_;
  uint64_t in_pos_ = 0;  // compressed bytes handed to ISA-L so far
  uint64_t out_total_ = 0;
  uint8_t* byte_next_ = nullptr;  // boundary search: next byte and end of the read buffer
  uint8_t* byte_end_ = nullptr;
  size_t step_ = kFirstStep;
  uint64_t searched_ = 0;   // bytes fed in steps without finding a boundary
  uint64_t range_end_ = 0;  // end of the stretch being searched in smaller steps, 0 for none
  int64_t boundary_ = -1;   // bit position of the boundary the decoder stopped at
  bool start_checked_ = false;
  bool blind_ = false;  // searching byte by byte for the boundary to hand over to zlib at
  std::deque<Capture> captures_;
  std::unique_ptr<inflate_state> snapshot_;
  uint8_t* snapshot_next_ = nullptr;
  uint64_t snapshot_in_pos_ = 0;
};

}  // namespace

IsalResult isal_inflate_member(const Drop& drop, const InflateOptions& options, ByteSink& sink) {
  Inflater inflater(drop, options, sink);
  if (options.resume) inflater.start_at(*options.resume);
  return inflater.run();
}

}  // namespace snapdelta
