// PrefixProof: CRC-64 digests (source/hash.h) of a member's deflate bytes [0, end) for several
// ends, hashed in pieces of up to 256 KiB that any thread may take, then joined (hash_combine.h).
// The prefix check is the one cost of an incremental run that grows with history; this lets the
// two cores share it with inflating and parsing.
// Contract: work() hashes one piece and returns true, or returns false once no piece is left to
// take; it may be called from several threads at once. finish() takes the remaining pieces on the
// calling thread, waits for pieces other threads still hash, and rethrows the first error a piece
// met (a read error). digest(end) is valid after finish() for each `end` given to the constructor.
// `from`/`hash_from` start the range at a known digest of [0, from) instead of at 0.
#pragma once

#include <absl/base/thread_annotations.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

#include "source/checkpoint.h"
#include "source/drop.h"
#include "source/zip_entry.h"

namespace snapdelta {

class PrefixProof {
 public:
  PrefixProof(const Drop& drop, std::vector<uint64_t> ends, uint64_t from = 0,
              uint64_t hash_from = 0);
  PrefixProof(const PrefixProof&) = delete;
  PrefixProof& operator=(const PrefixProof&) = delete;

  bool work();
  void finish();
  uint64_t digest(uint64_t end) const;

 private:
  struct Piece {
    uint64_t begin = 0;
    uint64_t end = 0;
    uint64_t hash = 0;
  };

  const Drop& drop_;
  std::vector<uint64_t> ends_;  // sorted, unique
  std::vector<uint64_t> digests_;
  std::vector<Piece> pieces_;
  uint64_t from_;
  uint64_t hash_from_;
  std::atomic<size_t> next_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  size_t done_ ABSL_GUARDED_BY(mu_) = 0;
  std::exception_ptr error_ ABSL_GUARDED_BY(mu_);
};

// Whether `c` can lie in `entry`'s deflate data at all (a deflate member, within its bytes).
bool checkpoint_fits(const ZipEntry& entry, const Checkpoint& c);

// The prefix_end() of each checkpoint that can lie in `entry`'s deflate data.
std::vector<uint64_t> checkpoint_prefix_ends(const ZipEntry& entry,
                                             const std::vector<Checkpoint>& checkpoints);

// The index of the checkpoint furthest into the stream that checkpoint_fits() `entry`, or -1: the
// one to speculate from before the proof is in.
int furthest_fitting_checkpoint(const ZipEntry& entry, const std::vector<Checkpoint>& checkpoints);

// The index of the checkpoint furthest into the stream whose compressed_hash equals
// digest(prefix_end()) and whose low bits match the file's byte, or -1. `digest` is asked for
// non-decreasing ends.
int best_matching_checkpoint(const Drop& drop, const std::vector<Checkpoint>& checkpoints,
                             const std::function<uint64_t(uint64_t)>& digest);

// Sets each checkpoint's compressed_hash, hashing from `from` on given the digest `hash_from` of
// [0, from) (every checkpoint's prefix_end() must be at or after `from`).
void fill_compressed_hashes(const Drop& drop, std::vector<Checkpoint>& checkpoints,
                            uint64_t from = 0, uint64_t hash_from = 0);

// best_matching_checkpoint() with the prefix hashed here, on this thread.
int find_matching_checkpoint(const Drop& drop, const std::vector<Checkpoint>& checkpoints);

}  // namespace snapdelta
