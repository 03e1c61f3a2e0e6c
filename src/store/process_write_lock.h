// ProcessWriteLock: one mutex per database file for the writers of this process. SQLite lets one
// connection write at a time and makes the others poll for its lock, sleeping 1, 2, 5, 10 ms and
// more between tries; writers that share a process (sync's jobs) queue on this mutex instead and
// wake the moment the write before them ends. Writers in other processes still meet at SQLite's
// lock.
// Contract: for_file(path) returns one mutex for every spelling of a path (symbolic links resolved
// as far as the path exists) while anyone holds it; take() waits up to the busy timeout and
// throws snapdelta::Error naming the file when it passes.
#pragma once

#include <memory>
#include <mutex>
#include <string>

namespace snapdelta {

class ProcessWriteLock {
 public:
  static std::shared_ptr<std::timed_mutex> for_file(const std::string& path);
  static std::unique_lock<std::timed_mutex> take(std::timed_mutex& mutex, const std::string& path,
                                                 int busy_timeout_ms);
};

}  // namespace snapdelta
