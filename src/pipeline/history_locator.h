// Finding the first changed line between the file a client's state consumed and a new drop, in
// 64 KiB blocks: block_hashes() hashes a member's first `limit` bytes block by block (BlockHasher
// is the same as a ByteSink, for a scan that inflates the new drop anyway); the first block whose
// hashes differ is read again from both files by first_changed_line().
// Contract: BlockHasher hashes [0, limit) of what it is fed and keeps the byte at `limit`;
// block_hashes() returns nullopt when the file is missing, unreadable or not a drop;
// first_changed_line() returns the 1-based number of the line holding the first differing byte in
// `block`, or nullopt when either file cannot be read there or the block's bytes are the same.
// Neither throws. Inflating is ISA-L's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/hash.h"
#include "source/byte_sink.h"

namespace snapdelta {

inline constexpr uint64_t kLocatorBlock = 64 << 10;

class BlockHasher : public ByteSink {
 public:
  explicit BlockHasher(uint64_t limit) : limit_(limit) {}
  void write(const uint8_t* data, size_t size) override;
  void restart() { *this = BlockHasher(limit_); }
  // The digests of the blocks seen; the last one may be partial.
  std::vector<uint64_t> hashes() const;
  uint64_t seen() const { return pos_; }
  // The byte at offset `limit`, once the stream reached it.
  std::optional<uint8_t> next_byte() const { return next_byte_; }

 private:
  uint64_t limit_;
  uint64_t pos_ = 0;
  Hasher hasher_;
  std::vector<uint64_t> hashes_;
  std::optional<uint8_t> next_byte_;
};

std::optional<std::vector<uint64_t>> block_hashes(const std::string& path, uint64_t limit);

// The index of the first block whose hashes differ, or nullopt when one list is a prefix of the
// other.
std::optional<size_t> first_differing_block(const std::vector<uint64_t>& a,
                                            const std::vector<uint64_t>& b);

std::optional<uint64_t> first_changed_line(const std::string& old_path, const std::string& new_path,
                                           size_t block, uint64_t limit);

}  // namespace snapdelta
