// Finding the first changed line between the file a client's state consumed and a new drop, in
// 64 KiB blocks, while the new drop is being scanned anyway.
// - BlockHasher: a ByteSink for the new drop's scan that hashes [0, limit) block by block and
//   publishes each block's hash as soon as it is complete, so that another thread can compare
//   with it meanwhile; it keeps the byte at `limit` too. close() says no more blocks will come.
// - first_differing_block(old_path, limit, blocks): inflates the old file, block by block, and
//   stops at the first block whose hash differs from the published one (waiting for it when the
//   scan is behind): an early change costs a few blocks, not the whole file.
// - first_changed_line(): reads that block again from both files and names the line holding the
//   first differing byte.
// Contract: the finders return nullopt (never throw) when a file cannot be read there or no block
// differs; restart() begins a new pass over the same bytes (hashes already published stay).
// Each file is read whole from its start in its container, as the job's drops are
// (source/drop_content.h: a gzip file of several members and a zstd file of several frames too).
#pragma once

#include <absl/base/thread_annotations.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "job/job.h"
#include "source/byte_sink.h"
#include "source/hash.h"

namespace snapdelta {

inline constexpr uint64_t kLocatorBlock = 64 << 10;

class BlockHasher : public ByteSink {
 public:
  explicit BlockHasher(uint64_t limit) : limit_(limit) {}
  void write(const uint8_t* data, size_t size) override;
  void restart();
  void close();
  // Block i's hash once published; nullopt when the stream closed before block i was complete.
  std::optional<uint64_t> wait_for(size_t i);
  // The byte at offset `limit`, once the stream reached it.
  std::optional<uint8_t> next_byte() const { return next_byte_; }

 private:
  void publish(size_t block, uint64_t hash);
  uint64_t limit_;
  uint64_t pos_ = 0;
  Hasher hasher_;
  std::optional<uint8_t> next_byte_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<uint64_t> hashes_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

std::optional<size_t> first_differing_block(const Job& job, const std::string& old_path,
                                            uint64_t limit, BlockHasher& blocks);

std::optional<uint64_t> first_changed_line(const Job& job, const std::string& old_path,
                                           const std::string& new_path, size_t block,
                                           uint64_t limit);

}  // namespace snapdelta
