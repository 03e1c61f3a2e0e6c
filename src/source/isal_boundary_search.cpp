#include "source/isal_boundary_search.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "source/deflate_header.h"
#include "source/deflate_window.h"

namespace snapdelta {
namespace {

// The first step size, and how far to step through coded blocks without a sign of a new one
// before suspecting fixed tables (which leave none) and going byte by byte.
constexpr size_t kFirstStep = 4096;
constexpr uint64_t kMaxSteppedSearch = 128 * 1024;

const uint8_t* bytes_of(const inflate_state& s) { return reinterpret_cast<const uint8_t*>(&s); }
uint8_t* bytes_of(inflate_state& s) { return reinterpret_cast<uint8_t*>(&s); }

bool between_blocks(const inflate_state& s) {
  return s.block_state == ISAL_BLOCK_NEW_HDR || s.block_state == ISAL_BLOCK_HDR;
}

// Where the header the decoder waits for begins, in bits: before the bytes it parked (HDR) and
// the bits still in its bit buffer.
uint64_t header_start_bit(const inflate_state& s, uint64_t in_pos) {
  const auto parked = static_cast<uint64_t>(
      s.block_state == ISAL_BLOCK_HDR ? std::max<int16_t>(0, s.tmp_in_size) : 0);
  return (in_pos - parked) * 8 - static_cast<uint64_t>(std::max<int32_t>(0, s.read_in_length));
}

}  // namespace

IsalBoundarySearch::IsalBoundarySearch(const Drop& drop, std::vector<uint8_t>& in,
                                       const uint8_t* out_begin, const std::vector<uint8_t>& window)
    : drop_(drop),
      in_(in),
      out_begin_(out_begin),
      window_(window),
      step_(kFirstStep),
      tables_(kTablesEnd - kTablesBegin) {}

void IsalBoundarySearch::refill(uint64_t in_pos) {
  if (byte_next_ != byte_end_) return;
  const ZipEntry& entry = drop_.entry();
  const uint64_t n = std::min<uint64_t>(in_.size(), entry.compressed_size - in_pos);
  drop_.file().read_at(entry.data_offset + in_pos, in_.data(), static_cast<size_t>(n));
  byte_next_ = in_.data();
  byte_end_ = in_.data() + n;
  buffer_pos_ = in_pos;
}

void IsalBoundarySearch::step(inflate_state& state, uint64_t& in_pos) {
  const auto available = static_cast<size_t>(byte_end_ - byte_next_);
  size_t n = between_blocks(state) ? header_step(state, in_pos) : 0;
  header_ = n > 0;
  if (!header_) {
    n = std::min(step_, available);
    if (range_end_ != 0) n = std::min<size_t>(n, static_cast<size_t>(range_end_ - in_pos));
  }
  if (!header_ && step_ > 1) {
    take_snapshot(state, in_pos);
  } else {
    tables_fresh_ = false;  // nothing compares them after this step
  }
  state.next_in = byte_next_;
  state.avail_in = static_cast<uint32_t>(n);
  byte_next_ += n;
  in_pos += n;
}

// The bytes that take the decoder to the end of the header it waits for (a block that ends in
// the spare bits of its last byte shows as a boundary); 0 when the header cannot be read.
size_t IsalBoundarySearch::header_step(const inflate_state& state, uint64_t in_pos) {
  const uint64_t start = header_start_bit(state, in_pos);
  const uint64_t first = start / 8;
  const ZipEntry& entry = drop_.entry();
  if (first >= entry.compressed_size) return 0;
  const size_t size = static_cast<size_t>(
      std::min<uint64_t>(kMaxDeflateHeaderBytes, entry.compressed_size - first));
  std::array<uint8_t, kMaxDeflateHeaderBytes> local;
  const uint8_t* bytes = local.data();
  if (first >= buffer_pos_ &&
      first + size <= buffer_pos_ + static_cast<uint64_t>(byte_end_ - in_.data())) {
    bytes = in_.data() + (first - buffer_pos_);
  } else {
    drop_.file().read_at(entry.data_offset + first, local.data(), size);
  }
  const std::optional<uint64_t> end = deflate_header_end(bytes, size, start);
  if (!end) return 0;
  const uint64_t end_byte = (*end + 7) / 8;
  if (end_byte <= in_pos) return 0;
  return static_cast<size_t>(
      std::min<uint64_t>(end_byte - in_pos, static_cast<uint64_t>(byte_end_ - byte_next_)));
}

void IsalBoundarySearch::take_snapshot(const inflate_state& state, uint64_t in_pos) {
  if (!tables_fresh_) {
    std::memcpy(tables_.data(), bytes_of(state) + kTablesBegin, tables_.size());
    tables_fresh_ = true;
  }
  Snapshot& s = snapshot_;
  std::memcpy(s.head.data(), bytes_of(state), s.head.size());
  std::memcpy(s.tail.data(), bytes_of(state) + kTablesEnd, s.tail.size());
  s.block_state = state.block_state;
  s.type0_block_len = state.type0_block_len;
  s.history_copied = !history_in_output(state);
  if (s.history_copied) {
    const auto valid = static_cast<size_t>(std::max<int32_t>(0, state.tmp_out_valid));
    s.history.assign(state.tmp_out_buffer,
                     state.tmp_out_buffer + std::min(valid, sizeof state.tmp_out_buffer));
  }
  s.next = byte_next_;
  s.in_pos = in_pos;
}

// Whether the decoder's history is the last tmp_out_valid bytes it delivered, all of them still
// at hand: ISA-L keeps the last 32 KiB of its output there once every byte it decoded was handed
// out (tmp_out_processed == tmp_out_valid).
bool IsalBoundarySearch::history_in_output(const inflate_state& state) const {
  const int32_t valid = state.tmp_out_valid;
  if (valid < 0 || valid != state.tmp_out_processed || valid > static_cast<int32_t>(kDeflateWindow))
    return false;
  const auto delivered = static_cast<size_t>(state.next_out - out_begin_);
  return static_cast<size_t>(valid) <= delivered + window_.size();
}

void IsalBoundarySearch::restore_history(inflate_state& state) const {
  const Snapshot& s = snapshot_;
  // memcpy of zero bytes from an empty vector's null data() is undefined: copy only what is there.
  const auto copy = [](uint8_t* to, const uint8_t* from, size_t n) {
    if (n > 0) std::memcpy(to, from, n);
  };
  if (s.history_copied) {
    copy(state.tmp_out_buffer, s.history.data(), s.history.size());
    return;
  }
  const auto valid = static_cast<size_t>(state.tmp_out_valid);
  const size_t from_out = std::min(valid, static_cast<size_t>(state.next_out - out_begin_));
  const size_t from_window = valid - from_out;
  copy(state.tmp_out_buffer, window_.data() + window_.size() - from_window, from_window);
  copy(state.tmp_out_buffer + from_window, state.next_out - from_out, from_out);
}

bool IsalBoundarySearch::retake_before_final_block(inflate_state& state, uint64_t& in_pos) {
  if (header_ || step_ <= 1 ||
      (!tables_changed(state) && snapshot_.block_state == ISAL_BLOCK_CODED)) {
    return false;
  }
  retake(state, in_pos);
  return true;
}

void IsalBoundarySearch::output_filled(inflate_state& state, uint64_t& in_pos) {
  if (!header_ && step_ > 1) retake(state, in_pos);
}

IsalBoundarySearch::Verdict IsalBoundarySearch::judge(inflate_state& state, uint64_t& in_pos,
                                                      bool ended_between_blocks, uint32_t out) {
  if (header_) {  // the step ended with the header: a boundary only if a block ended after it
    step_ = kFirstStep;
    range_end_ = 0;
    if (!ended_between_blocks) return Verdict::kGoOn;
    return blind_ ? Verdict::kHandOver : Verdict::kBoundary;
  }
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

// Back to the snapshot: its small fields, its tables (tables_ are fresh whenever a snapshot is
// taken) and its history, rebuilt from the output.
void IsalBoundarySearch::retake(inflate_state& state, uint64_t& in_pos) {
  range_end_ = in_pos;
  std::memcpy(bytes_of(state), snapshot_.head.data(), snapshot_.head.size());
  std::memcpy(bytes_of(state) + kTablesBegin, tables_.data(), tables_.size());
  std::memcpy(bytes_of(state) + kTablesEnd, snapshot_.tail.data(), snapshot_.tail.size());
  restore_history(state);
  byte_next_ = snapshot_.next;
  in_pos = snapshot_.in_pos;
  step_ = std::max<size_t>(1, step_ / 16);
}

// Whether the step just taken (which produced `out` bytes) may have crossed into a new block:
// a new header rebuilt the code tables, the kind of block changed, or a stored block's remaining
// length moved by other than what it delivered.
bool IsalBoundarySearch::block_may_have_begun(const inflate_state& state, uint32_t out) const {
  if (state.block_state != snapshot_.block_state) return true;
  if (state.block_state == ISAL_BLOCK_TYPE0) {
    return static_cast<int64_t>(snapshot_.type0_block_len) - state.type0_block_len != out;
  }
  return tables_changed(state);
}

bool IsalBoundarySearch::tables_changed(const inflate_state& state) const {
  return std::memcmp(tables_.data(), bytes_of(state) + kTablesBegin, tables_.size()) != 0;
}

}  // namespace snapdelta
