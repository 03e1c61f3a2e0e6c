// IsalBoundarySearch: pins the deflate block boundaries in the part of a stream that ISA-L
// inflates, from ISA-L's own decoder state (no second decoder), as isal_inflater.h promises.
//
// The technique. ISA-L inflates about 2.4 times as fast as zlib, but unlike zlib's Z_BLOCK it has
// no mode that stops at each block boundary: it shows one only when its input ends exactly there
// (the decoder then waits for a new block header, or has parked a header that did not fit). So,
// from capture_from on, the input goes in steps of kFirstStep (4 KiB) bytes, each from a snapshot
// of the decoder state. A step in which a new block began -- the code tables changed, the kind of
// block changed, or a stored block's remaining length moved by other than what it delivered -- is
// taken again from the snapshot in steps of 1/16 the size, down to single bytes, which pins each
// boundary's bit position; the checkpoint there gets the window of the last 32 KiB delivered.
// From a boundary, the next block's header goes in one step that ends with it (its length read
// from the compressed bytes, deflate_header.h), so its new tables are never taken for yet another
// block. Streams of fixed-table blocks leave no trace in the state (their tables never change):
// after kMaxSteppedSearch (128 KiB) of coded blocks without a sign of a new one, the search goes
// byte by byte to the next boundary and hands over there, and zlib (Z_BLOCK) captures from that
// point on.
// A snapshot copies no tables and no history: only the decoder's small fields. Its code tables
// are kept once per block (they change only with a new header), and its history -- the last
// bytes it delivered -- is rebuilt on a retake from the output itself (the owner's output buffer
// and the window before it); a state whose history is not that (undelivered output) is copied.
//
// Contract: the owner (the ISA-L inflater) calls refill() then step() to give the decoder each
// step's input, calls isal_inflate() on it, and judges the result with retake_before_final_block()
// (the stream ended), output_filled() (the output filled inside a step) or judge() (the step's
// input was used up). No output may be flushed between step() and the judgement: retaking a step
// restores the snapshot, which rewinds the output in place. `out_begin` is the start of the
// owner's output buffer (the decoder's next_out is reset to it on each flush) and `window` the up
// to 32 KiB delivered before it. The search reads the member's deflate bytes into the owner's
// input buffer `in`, which it uses alone once searching has begun.
#pragma once

#include <isa-l/igzip_lib.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "source/drop.h"

namespace snapdelta {

class IsalBoundarySearch {
 public:
  // What judge() found in the step just inflated.
  enum class Verdict {
    kRetaken,   // a block may have begun within it: it is taken again in smaller steps
    kBoundary,  // the decoder stopped at a block boundary: capture it, searching goes on
    kHandOver,  // the boundary searched for byte by byte: hand over to zlib there
    kGoOn,      // nothing to capture: take the next step
  };

  IsalBoundarySearch(const Drop& drop, std::vector<uint8_t>& in, const uint8_t* out_begin,
                     const std::vector<uint8_t>& window);
  IsalBoundarySearch(const IsalBoundarySearch&) = delete;
  IsalBoundarySearch& operator=(const IsalBoundarySearch&) = delete;

  // Reads the next part of the deflate bytes from `in_pos` on once the last one is used up.
  void refill(uint64_t in_pos);
  // Hands `state` the next step's input (advancing `in_pos`), snapshotting it first unless the
  // step is a single byte or a header.
  void step(inflate_state& state, uint64_t& in_pos);
  // The stream ended within a step longer than a byte that may hold boundaries before the final
  // block: retakes it and returns true.
  bool retake_before_final_block(inflate_state& state, uint64_t& in_pos);
  // The output filled up inside a step: retakes it in smaller steps (unless it is a single byte).
  void output_filled(inflate_state& state, uint64_t& in_pos);
  // Judges a step whose input was used up, which produced `out` bytes; `ended_between_blocks`
  // when the decoder stopped at a block boundary.
  Verdict judge(inflate_state& state, uint64_t& in_pos, bool ended_between_blocks, uint32_t out);

 private:
  static constexpr size_t kTablesBegin = offsetof(inflate_state, lit_huff_code);
  static constexpr size_t kTablesEnd = offsetof(inflate_state, block_state);
  static constexpr size_t kHistoryBegin = offsetof(inflate_state, tmp_out_buffer);

  // The decoder's state at a step's start, but for its tables (tables_) and its history.
  struct Snapshot {
    std::array<uint8_t, kTablesBegin> head;
    std::array<uint8_t, kHistoryBegin - kTablesEnd> tail;
    isal_block_state block_state = ISAL_BLOCK_NEW_HDR;
    int32_t type0_block_len = 0;
    bool history_copied = false;  // `history` holds it: the output cannot rebuild it
    std::vector<uint8_t> history;
    uint8_t* next = nullptr;
    uint64_t in_pos = 0;
  };

  void take_snapshot(const inflate_state& state, uint64_t in_pos);
  void retake(inflate_state& state, uint64_t& in_pos);
  void restore_history(inflate_state& state) const;
  bool history_in_output(const inflate_state& state) const;
  size_t header_step(const inflate_state& state, uint64_t in_pos);
  bool block_may_have_begun(const inflate_state& state, uint32_t out) const;
  bool tables_changed(const inflate_state& state) const;

  const Drop& drop_;
  std::vector<uint8_t>& in_;
  const uint8_t* out_begin_;
  const std::vector<uint8_t>& window_;
  uint8_t* byte_next_ = nullptr;  // next byte and end of the read buffer
  uint8_t* byte_end_ = nullptr;
  uint64_t buffer_pos_ = 0;  // the compressed offset of in_[0]
  size_t step_;
  uint64_t searched_ = 0;   // bytes fed in steps without finding a boundary
  uint64_t range_end_ = 0;  // end of the stretch being searched in smaller steps, 0 for none
  bool blind_ = false;      // searching byte by byte for the boundary to hand over to zlib at
  bool header_ = false;     // the step being judged feeds a block's header
  Snapshot snapshot_;
  std::vector<uint8_t> tables_;  // the decoder's tables at the last snapshot
  bool tables_fresh_ = false;    // tables_ are the decoder's current ones
};

}  // namespace snapdelta
