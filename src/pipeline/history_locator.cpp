#include "pipeline/history_locator.h"

#include <algorithm>
#include <vector>

#include "source/drop.h"
#include "source/zlib_inflater.h"

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

// Inflates the member at `path` into `sink` until the sink stops it; false if it cannot be read.
bool feed(const std::string& path, ByteSink& sink) {
  try {
    const Drop drop(path);
    InflateOptions options;
    options.engine = InflateEngine::isal_then_zlib;
    inflate_member(drop, options, sink);
  } catch (const Stop&) {
  } catch (...) {
    return false;
  }
  return true;
}

class StoppingHasher : public ByteSink {
 public:
  explicit StoppingHasher(uint64_t limit) : hasher(limit), limit_(limit) {}
  void write(const uint8_t* data, size_t size) override {
    hasher.write(data, size);
    if (hasher.seen() >= limit_) throw Stop{};
  }
  BlockHasher hasher;

 private:
  uint64_t limit_;
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
      hashes_.push_back(hasher_.digest());
      hasher_.reset();
    }
  }
}

std::vector<uint64_t> BlockHasher::hashes() const {
  std::vector<uint64_t> out = hashes_;
  if (pos_ % kLocatorBlock != 0 && pos_ < limit_) out.push_back(hasher_.digest());
  return out;
}

std::optional<std::vector<uint64_t>> block_hashes(const std::string& path, uint64_t limit) {
  StoppingHasher sink(limit);
  if (!feed(path, sink)) return std::nullopt;
  return sink.hasher.hashes();
}

std::optional<size_t> first_differing_block(const std::vector<uint64_t>& a,
                                            const std::vector<uint64_t>& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return i;
  }
  return std::nullopt;
}

std::optional<uint64_t> first_changed_line(const std::string& old_path, const std::string& new_path,
                                           size_t block, uint64_t limit) {
  BlockKeeper old_block(block, limit), new_block(block, limit);
  if (!feed(old_path, old_block) || !feed(new_path, new_block)) return std::nullopt;
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
