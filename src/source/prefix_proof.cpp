#include "source/prefix_proof.h"

#include <algorithm>

#include "common/error.h"
#include "source/hash.h"
#include "source/hash_combine.h"

namespace snapdelta {
namespace {
constexpr uint64_t kPiece = 256 << 10;
constexpr uint64_t kRead = 64 << 10;

// Indexes of `checkpoints` in increasing prefix_end() order.
std::vector<size_t> order_by_prefix_end(const std::vector<Checkpoint>& checkpoints) {
  std::vector<size_t> order(checkpoints.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return checkpoints[a].prefix_end() < checkpoints[b].prefix_end();
  });
  return order;
}

}  // namespace

PrefixProof::PrefixProof(const Drop& drop, std::vector<uint64_t> ends, uint64_t from,
                         uint64_t hash_from)
    : drop_(drop), ends_(std::move(ends)), from_(from), hash_from_(hash_from) {
  std::sort(ends_.begin(), ends_.end());
  ends_.erase(std::unique(ends_.begin(), ends_.end()), ends_.end());
  uint64_t pos = from_;
  for (uint64_t end : ends_) {
    if (end > drop_.entry().compressed_size || end < from_) {
      throw Error("prefix outside the compressed data");
    }
    while (pos < end) {
      const uint64_t n = std::min(kPiece, end - pos);
      pieces_.push_back(Piece{pos, pos + n, 0});
      pos += n;
    }
  }
}

bool PrefixProof::work() {
  const size_t i = next_.fetch_add(1);
  if (i >= pieces_.size()) return false;
  Piece& p = pieces_[i];
  try {
    // Read in L2-sized parts: as fast as whole pieces here, and a quarter of the fresh pages.
    thread_local std::vector<uint8_t> buf(static_cast<size_t>(kRead));
    Hasher h;
    for (uint64_t at = p.begin; at < p.end; at += kRead) {
      const auto n = static_cast<size_t>(std::min(kRead, p.end - at));
      drop_.file().read_at(drop_.entry().data_offset + at, buf.data(), n);
      h.update(buf.data(), n);
    }
    p.hash = h.digest();
  } catch (...) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_) error_ = std::current_exception();
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (++done_ == pieces_.size()) cv_.notify_all();
  return true;
}

void PrefixProof::finish() {
  while (work()) {
  }
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return done_ == pieces_.size(); });
    if (error_) std::rethrow_exception(error_);
  }
  digests_.clear();
  uint64_t h = hash_from_;
  size_t p = 0;
  for (uint64_t end : ends_) {
    for (; p < pieces_.size() && pieces_[p].end <= end; ++p) {
      h = hash64_combine(h, pieces_[p].hash, pieces_[p].end - pieces_[p].begin);
    }
    digests_.push_back(h);
  }
}

uint64_t PrefixProof::digest(uint64_t end) const {
  const auto it = std::lower_bound(ends_.begin(), ends_.end(), end);
  if (it == ends_.end() || *it != end || digests_.size() != ends_.size()) {
    throw Error("prefix digest asked for an end it was not built for");
  }
  return digests_[static_cast<size_t>(it - ends_.begin())];
}

bool checkpoint_fits(const ZipEntry& entry, const Checkpoint& c) {
  return entry.method == 8 && c.in_byte > 0 && c.in_byte <= entry.compressed_size;
}

std::vector<uint64_t> checkpoint_prefix_ends(const ZipEntry& entry,
                                             const std::vector<Checkpoint>& checkpoints) {
  std::vector<uint64_t> ends;
  for (const Checkpoint& c : checkpoints) {
    if (checkpoint_fits(entry, c)) ends.push_back(c.prefix_end());
  }
  return ends;
}

int best_matching_checkpoint(const Drop& drop, const std::vector<Checkpoint>& checkpoints,
                             const std::function<uint64_t(uint64_t)>& digest) {
  const ZipEntry& entry = drop.entry();
  int best = -1;
  for (size_t i : order_by_prefix_end(checkpoints)) {
    const Checkpoint& c = checkpoints[i];
    if (!checkpoint_fits(entry, c)) continue;
    if (digest(c.prefix_end()) != c.compressed_hash) continue;
    if (c.bits) {
      uint8_t byte = 0;
      drop.file().read_at(entry.data_offset + c.in_byte - 1, &byte, 1);
      if ((byte & c.low_mask()) != c.low_bits) continue;
    }
    if (best < 0 || c.in_byte > checkpoints[static_cast<size_t>(best)].in_byte)
      best = static_cast<int>(i);
  }
  return best;
}

void fill_compressed_hashes(const Drop& drop, std::vector<Checkpoint>& checkpoints, uint64_t from,
                            uint64_t hash_from) {
  std::vector<uint64_t> ends;
  for (const Checkpoint& c : checkpoints) ends.push_back(c.prefix_end());
  PrefixProof proof(drop, ends, from, hash_from);
  proof.finish();
  for (Checkpoint& c : checkpoints) c.compressed_hash = proof.digest(c.prefix_end());
}

int find_matching_checkpoint(const Drop& drop, const std::vector<Checkpoint>& checkpoints) {
  PrefixProof proof(drop, checkpoint_prefix_ends(drop.entry(), checkpoints));
  proof.finish();
  return best_matching_checkpoint(drop, checkpoints,
                                  [&](uint64_t end) { return proof.digest(end); });
}

int furthest_fitting_checkpoint(const ZipEntry& entry, const std::vector<Checkpoint>& checkpoints) {
  int best = -1;
  for (size_t i = 0; i < checkpoints.size(); ++i) {
    if (!checkpoint_fits(entry, checkpoints[i])) continue;
    if (best < 0 || checkpoints[i].in_byte > checkpoints[static_cast<size_t>(best)].in_byte) {
      best = static_cast<int>(i);
    }
  }
  return best;
}

}  // namespace snapdelta
