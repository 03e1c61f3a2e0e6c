// TailWriter: adds a tail's groups to the client's rows inside the run's write, and can take that
// back. The speculative tail writes while its prefix proof completes; should the proof reject the
// tail, undo() returns the write to where it was before (also after a write that failed part way).
// Contract: write() at most once per undo(); written() is true once a write() succeeded and was
// not undone; new_keys() is how many of its groups were new rows; ms() the time spent writing.
// A TailWriter without a write (the work runs outside the lock, as `sync` does it) writes
// nothing: the groups are written when the result is committed. add_drop_groups() adds groups as
// every run does: a sum leaving 64-bit integers fails naming the drop first ("<drop>: <store>:
// expected sums within 64-bit integers, ..."), so a sync's stderr tells which client failed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "aggregate/job_groups.h"
#include "common/error.h"
#include "common/stopwatch.h"
#include "store/store.h"

namespace snapdelta {

inline uint64_t add_drop_groups(ClientWrite& write, const JobGroups& groups,
                                const std::string& drop) {
  try {
    return write.add_groups(groups);
  } catch (const SumOverflow& e) {
    throw SumOverflow(drop + ": " + e.what());
  }
}

class TailWriter {
 public:
  explicit TailWriter(ClientWrite* write, std::string drop = "")
      : write_(write), drop_(std::move(drop)) {}

  void write(const JobGroups& groups) {
    if (!write_) return;
    const auto t = Clock::now();
    mark_ = write_->mark();
    new_keys_ = add_drop_groups(*write_, groups, drop_);
    written_ = true;
    ms_ += ms_since(t);
  }
  void undo() {
    if (mark_) mark_->rollback();
    mark_.reset();
    written_ = false;
    new_keys_ = 0;
  }
  bool written() const { return written_; }
  uint64_t new_keys() const { return new_keys_; }
  double ms() const { return ms_; }

 private:
  ClientWrite* write_;
  std::string drop_;  // the drop's path, for errors
  std::unique_ptr<WriteMark> mark_;
  uint64_t new_keys_ = 0;
  bool written_ = false;
  double ms_ = 0;
};

}  // namespace snapdelta
