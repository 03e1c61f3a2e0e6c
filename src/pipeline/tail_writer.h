// TailWriter: adds a tail's groups to the client's rows inside the run's write, and can take that
// back. The speculative tail writes while its prefix proof completes; should the proof reject the
// tail, undo() returns the write to where it was before (also after a write that failed part way).
// Contract: write() at most once per undo(); written() is true once a write() succeeded and was
// not undone; new_keys() is how many of its groups were new rows; ms() the time spent writing.
// A TailWriter without a write (the work runs outside the lock, as `sync` does it) writes
// nothing: the groups are written when the result is committed.
#pragma once

#include <cstdint>
#include <memory>

#include "aggregate/job_groups.h"
#include "common/stopwatch.h"
#include "store/store.h"

namespace snapdelta {

class TailWriter {
 public:
  explicit TailWriter(ClientWrite* write) : write_(write) {}

  void write(const JobGroups& groups) {
    if (!write_) return;
    const auto t = Clock::now();
    mark_ = write_->mark();
    new_keys_ = write_->add_groups(groups);
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
  std::unique_ptr<WriteMark> mark_;
  uint64_t new_keys_ = 0;
  bool written_ = false;
  double ms_ = 0;
};

}  // namespace snapdelta
