#include "pipeline/history_locator.h"

#include <algorithm>
#include <vector>

#include "source/drop.h"
#include "source/drop_content.h"

namespace snapdelta {
namespace {

struct Stop {};

// Keeps the bytes of one block of [0, limit) and counts the line ends before it, then stops.
class BlockKeeper : public ByteSink {
 public:
  BlockKeeper(size_t block, uint64_t limit)
      : begin_(block * kLocatorBlock), end_(std::min(begin_ + kLocatorBlock, limit)) {}
  void write(const uint8_t* data, size_t size) override {
    for (size_t i = 0; i < size;) {
      if (pos_ >= end_) throw Stop{};
      const uint64_t until = pos_ < begin_ ? begin_ : end_;
      const size_t m = static_cast<size_t>(std::min<uint64_t>(size - i, until - pos_));
      if (pos_ < begin_) {
        newlines_before += static_cast<uint64_t>(std::count(data + i, data + i + m, '\n'));
      } else {
        kept.insert(kept.end(), data + i, data + i + m);
      }
      pos_ += m;
      i += m;
    }
  }
  std::vector<uint8_t> kept;
  uint64_t newlines_before = 0;

 private:
  uint64_t begin_, end_;
  uint64_t pos_ = 0;
};

// Reads the drop at `path` into `sink` until the sink stops it; false if it cannot be read.
bool feed(const Job& job, const std::string& path, ByteSink& sink) {
  try {
    const Drop drop(path, job);
    read_drop_content(drop, sink);
  } catch (const Stop&) {
  } catch (...) {
    return false;
  }
  return true;
}

// Hashes the old file's blocks and compares each with the new drop's, stopping at the first
// that differs.
class BlockComparer : public ByteSink {
 public:
  BlockComparer(uint64_t limit, BlockHasher& blocks) : limit_(limit), blocks_(blocks) {}
  void write(const uint8_t* data, size_t size) override {
    for (size_t i = 0; i < size;) {
      if (pos_ >= limit_) throw Stop{};
      const uint64_t block_end = std::min((pos_ / kLocatorBlock + 1) * kLocatorBlock, limit_);
      const size_t m = static_cast<size_t>(std::min<uint64_t>(size - i, block_end - pos_));
      hasher_.update(data + i, m);
      pos_ += m;
      i += m;
      if (pos_ == block_end) compare();
    }
  }
  std::optional<size_t> differing;

 private:
  void compare() {
    const size_t block = static_cast<size_t>((pos_ - 1) / kLocatorBlock);
    const std::optional<uint64_t> theirs = blocks_.wait_for(block);
    if (!theirs || *theirs != hasher_.digest()) {
      differing = block;
      throw Stop{};
    }
    hasher_.reset();
  }
  uint64_t limit_;
  BlockHasher& blocks_;
  uint64_t pos_ = 0;
  Hasher hasher_;
};

}  // namespace

void BlockHasher::write(const uint8_t* data, size_t size) {
  if (!next_byte_ && pos_ <= limit_ && limit_ - pos_ < size) next_byte_ = data[limit_ - pos_];
  for (size_t i = 0; i < size && pos_ < limit_;) {
    const uint64_t block_end = std::min((pos_ / kLocatorBlock + 1) * kLocatorBlock, limit_);
    const size_t m = static_cast<size_t>(std::min<uint64_t>(size - i, block_end - pos_));
    hasher_.update(data + i, m);
    pos_ += m;
    i += m;
    if (pos_ == block_end) {
      publish(static_cast<size_t>((pos_ - 1) / kLocatorBlock), hasher_.digest());
      hasher_.reset();
    }
  }
}

void BlockHasher::publish(size_t block, uint64_t hash) {
  std::lock_guard lock(mu_);
  if (block < hashes_.size()) return;  // a later pass over the same bytes
  hashes_.push_back(hash);
  cv_.notify_all();
}

void BlockHasher::restart() {
  pos_ = 0;
  hasher_.reset();
  next_byte_.reset();
}

void BlockHasher::close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  cv_.notify_all();
}

std::optional<uint64_t> BlockHasher::wait_for(size_t i) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return hashes_.size() > i || closed_; });
  if (i < hashes_.size()) return hashes_[i];
  return std::nullopt;
}

std::optional<size_t> first_differing_block(const Job& job, const std::string& old_path,
                                            uint64_t limit, BlockHasher& blocks) {
  BlockComparer comparer(limit, blocks);
  if (!feed(job, old_path, comparer)) return std::nullopt;
  return comparer.differing;
}

std::optional<uint64_t> first_changed_line(const Job& job, const std::string& old_path,
                                           const std::string& new_path, size_t block,
                                           uint64_t limit) {
  BlockKeeper old_block(block, limit), new_block(block, limit);
  if (!feed(job, old_path, old_block) || !feed(job, new_path, new_block)) return std::nullopt;
  const auto& x = old_block.kept;
  const auto& y = new_block.kept;
  size_t off = 0;
  while (off < x.size() && off < y.size() && x[off] == y[off]) ++off;
  if (off == x.size() && off == y.size()) return std::nullopt;
  return new_block.newlines_before +
         static_cast<uint64_t>(
             std::count(y.begin(), y.begin() + static_cast<ptrdiff_t>(off), '\n')) +
         1;
}

}  // namespace snapdelta
