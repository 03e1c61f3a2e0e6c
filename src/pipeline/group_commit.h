// GroupCommitter: sync's group commit — the clients its workers prepared land in shared
// transactions (Store::begin_group), several clients to one commit, on a connection of its own.
// Contract:
// - land() is a FenceCommit (fence_commit.h): one caller at a time holds the group; it opens a
//   group when none is open, claims the client in it (held: another writer has it), re-reads its
//   state there and, when unchanged since `basis`, has `write` write it from the client's own
//   savepoint. A client whose write throws is undone alone (the others of the group stay) and the
//   exception propagates; a moved client is left out (the caller redoes it).
// - A group closes — commits — once it holds `limits.clients` kept clients or `limits.ms` after it
//   opened, whichever comes first (a timer closes a group no caller comes back to), and at flush()
//   and destruction. Each kept client's `landed` is called once its group ended: with "" and the
//   group's number (1, 2, ... in commit order) when it committed, or with the commit's one-line
//   error when the group failed whole, none of its clients changed. `landed` runs on the
//   committing thread (a caller's or the timer's), with the group held.
// - groups() counts the groups committed so far.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/stopwatch.h"
#include "job/job.h"
#include "pipeline/fence_commit.h"
#include "pipeline/lazy_store.h"
#include "store/open_store.h"

namespace snapdelta {

struct GroupLimits {
  int clients = 32;  // a group closes at this many clients...
  int ms = 50;       // ...or this long after it opened
};

class GroupCommitter {
 public:
  using Landed = std::function<void(const std::string& error, size_t group)>;

  // `job` must outlive the committer.
  GroupCommitter(StoreOptions where, const Job& job, GroupLimits limits);
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  FenceTurn land(const std::string& client, const std::optional<ClientState>& basis,
                 const ClientWriter& write, Landed landed);
  void flush();
  size_t groups();

 private:
  void close_locked();
  void close_when_due();
  LazyStore store_;
  GroupLimits limits_;
  std::mutex mu_;
  std::condition_variable due_;
  std::unique_ptr<GroupWrite> group_;  // guarded by mu_, as is the rest below
  std::vector<Landed> kept_;
  Clock::time_point deadline_;
  size_t groups_ = 0;
  bool stop_ = false;
  std::jthread timer_;  // last: started once the rest is in place
};

}  // namespace snapdelta
