#include "source/isal_boundary_search.h"

#include <algorithm>
#include <cstring>

namespace snapdelta {
namespace {

// The first step size, and how far to step through coded blocks without a sign of a new one
// before suspecting fixed tables (which leave none) and going byte by byte.
constexpr size_t kFirstStep = 4096;
constexpr uint64_t kMaxSteppedSearch = 128 * 1024;

// The part of the state that matters: all but the unused end of its output buffer.
size_t live_size(const inflate_state& s) {
  const auto used = static_cast<size_t>(std::max<int32_t>(0, s.tmp_out_valid));
  return offsetof(inflate_state, tmp_out_buffer) + std::min(used, sizeof(s.tmp_out_buffer));
}

}  // namespace

IsalBoundarySearch::IsalBoundarySearch(const Drop& drop, std::vector<uint8_t>& in)
    : drop_(drop), in_(in), step_(kFirstStep) {}

void IsalBoundarySearch::refill(uint64_t in_pos) {
  if (byte_next_ != byte_end_) return;
  const ZipEntry& entry = drop_.entry();
  const uint64_t n = std::min<uint64_t>(in_.size(), entry.compressed_size - in_pos);
  drop_.file().read_at(entry.data_offset + in_pos, in_.data(), static_cast<size_t>(n));
  byte_next_ = in_.data();
  byte_end_ = in_.data() + n;
}

void IsalBoundarySearch::step(inflate_state& state, uint64_t& in_pos) {
  size_t n = std::min<size_t>(step_, static_cast<size_t>(byte_end_ - byte_next_));
  if (range_end_ != 0) n = std::min<size_t>(n, static_cast<size_t>(range_end_ - in_pos));
  if (step_ > 1) {
    if (!snapshot_) snapshot_ = std::make_unique<inflate_state>();
    std::memcpy(snapshot_.get(), &state, live_size(state));
    snapshot_next_ = byte_next_;
    snapshot_in_pos_ = in_pos;
  }
  state.next_in = byte_next_;
  state.avail_in = static_cast<uint32_t>(n);
  byte_next_ += n;
  in_pos += n;
}

bool IsalBoundarySearch::retake_before_final_block(inflate_state& state, uint64_t& in_pos) {
  if (step_ <= 1 || (!tables_changed(state) && snapshot_->block_state == ISAL_BLOCK_CODED)) {
    return false;
  }
  retake(state, in_pos);
  return true;
}

void IsalBoundarySearch::output_filled(inflate_state& state, uint64_t& in_pos) {
  if (step_ > 1) retake(state, in_pos);
}

IsalBoundarySearch::Verdict IsalBoundarySearch::judge(inflate_state& state, uint64_t& in_pos,
                                                      bool ended_between_blocks, uint32_t out) {
  // A step longer than a byte may hold more than one boundary, and ISA-L shows only the last.
  if (step_ > 1 &&
      (ended_between_blocks ? tables_changed(state) : block_may_have_begun(state, out))) {
    retake(state, in_pos);  // a block began within this step: take it again in smaller ones
    return Verdict::kRetaken;
  }
  if (ended_between_blocks) {
    if (blind_) return Verdict::kHandOver;
    step_ = kFirstStep;
    range_end_ = 0;
    searched_ = 0;
    return Verdict::kBoundary;
  }
  if (range_end_ != 0 && in_pos >= range_end_) {
    range_end_ = 0;  // the narrowed range held no boundary (the alarm was false)
    step_ = kFirstStep;
  } else if (step_ > 1 && state.block_state == ISAL_BLOCK_CODED &&
             (searched_ += step_) > kMaxSteppedSearch) {
    step_ = 1;      // blocks that leave no trace in the state (fixed tables): single bytes to the
    blind_ = true;  // next boundary, where zlib takes over
  }
  return Verdict::kGoOn;
}

void IsalBoundarySearch::retake(inflate_state& state, uint64_t& in_pos) {
  range_end_ = in_pos;
  std::memcpy(&state, snapshot_.get(), live_size(*snapshot_));
  byte_next_ = snapshot_next_;
  in_pos = snapshot_in_pos_;
  step_ = std::max<size_t>(1, step_ / 16);
}

// Whether the step just taken (which produced `out` bytes) may have crossed into a new block:
// a new header rebuilt the code tables, the kind of block changed, or a stored block's remaining
// length moved by other than what it delivered.
bool IsalBoundarySearch::block_may_have_begun(const inflate_state& state, uint32_t out) const {
  if (state.block_state != snapshot_->block_state) return true;
  if (state.block_state == ISAL_BLOCK_TYPE0) {
    return static_cast<int64_t>(snapshot_->type0_block_len) - state.type0_block_len != out;
  }
  return tables_changed(state);
}

bool IsalBoundarySearch::tables_changed(const inflate_state& state) const {
  return std::memcmp(&snapshot_->lit_huff_code, &state.lit_huff_code,
                     sizeof(state.lit_huff_code)) != 0 ||
         std::memcmp(&snapshot_->dist_huff_code, &state.dist_huff_code,
                     sizeof(state.dist_huff_code)) != 0;
}

}  // namespace snapdelta
