#include "pipeline/history_locator.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "common/hash.h"
#include "source/zlib_inflater.h"

namespace snapdelta {
namespace {

constexpr uint64_t kBlock = 64 * 1024;

struct Stop {};

// Hashes [0, limit) in kBlock blocks; optionally keeps one block's bytes and the LF count before
// it.
class BlockSink : public ByteSink {
 public:
  BlockSink(uint64_t limit, int64_t keep_block) : limit_(limit), keep_block_(keep_block) {}
  void write(const uint8_t* data, size_t size) override {
    for (size_t i = 0; i < size;) {
      if (pos_ >= limit_) throw Stop{};
      const uint64_t block = pos_ / kBlock;
      const size_t m = static_cast<size_t>(
          std::min<uint64_t>({size - i, (block + 1) * kBlock - pos_, limit_ - pos_}));
      if (static_cast<int64_t>(block) == keep_block_) {
        kept.insert(kept.end(), data + i, data + i + m);
      } else if (static_cast<int64_t>(block) < keep_block_) {
        newlines_before += static_cast<uint64_t>(std::count(data + i, data + i + m, '\n'));
      }
      hasher_.update(data + i, m);
      pos_ += m;
      i += m;
      if (pos_ % kBlock == 0 || pos_ == limit_) {
        hashes.push_back(hasher_.digest());
        hasher_.reset();
        if (keep_block_ >= 0 && static_cast<int64_t>(block) >= keep_block_) throw Stop{};
      }
    }
  }
  void close() {
    if (pos_ % kBlock != 0 && pos_ < limit_) hashes.push_back(hasher_.digest());
  }
  std::vector<uint64_t> hashes;
  std::vector<uint8_t> kept;
  uint64_t newlines_before = 0;
  uint64_t pos_ = 0;

 private:
  uint64_t limit_;
  int64_t keep_block_;
  Hasher hasher_;
};

void scan(const std::string& path, BlockSink& sink) {
  const Drop drop(path);
  try {
    inflate_member(drop, InflateOptions{}, sink);
  } catch (const Stop&) {
  }
  sink.close();
}

}  // namespace

std::optional<uint64_t> locate_changed_line(const std::string& old_path, const ZipEntry& new_entry,
                                            uint64_t old_bytes) {
  if (old_path == new_entry.archive_path) return std::nullopt;
  try {
    BlockSink old_blocks(old_bytes, -1);
    scan(old_path, old_blocks);
    BlockSink new_blocks(old_bytes, -1);
    scan(new_entry.archive_path, new_blocks);
    size_t b = 0;
    while (b < old_blocks.hashes.size() && b < new_blocks.hashes.size() &&
           old_blocks.hashes[b] == new_blocks.hashes[b]) {
      ++b;
    }
    if (b == old_blocks.hashes.size()) return std::nullopt;
    BlockSink old_keep(old_bytes, static_cast<int64_t>(b));
    scan(old_path, old_keep);
    BlockSink new_keep(old_bytes, static_cast<int64_t>(b));
    scan(new_entry.archive_path, new_keep);
    const auto& x = old_keep.kept;
    const auto& y = new_keep.kept;
    size_t off = 0;
    while (off < x.size() && off < y.size() && x[off] == y[off]) ++off;
    return new_keep.newlines_before +
           static_cast<uint64_t>(std::count(y.begin(), y.begin() + off, '\n')) + 1;
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace snapdelta
