// StateCache: the incremental state database after day d ("S_d") for one client, kept in
// --db-cache DIR between bench runs so that preparing day K-1's state can be skipped.
// Contract: the key of S_d covers the client, the job (its canonical text), the data files of days
// 1..d (name, size, mtime in ns) and the snapdelta binary (size, mtime), so any change to the data
// or to the program that wrote the state misses. store() is atomic (copy to a temporary name, then
// rename). A cache made with an empty directory is disabled: has() is false and store() does
// nothing. Stale entries are never read; delete the directory to reclaim the space.
#pragma once

#include <string>
#include <vector>

namespace snapdelta::bench {

class StateCache {
 public:
  // day_files[d-1] is the data file of day d.
  StateCache(std::string dir, const std::string& executable, const std::string& client,
             const std::string& job, const std::vector<std::string>& day_files);

  bool enabled() const { return !dir_.empty(); }
  bool has(int day) const;
  std::string path(int day) const;  // where S_day lives (or would live) in the cache
  void store(int day, const std::string& db) const;

 private:
  std::string dir_;
  std::vector<std::string> keys_;  // keys_[d-1] is S_d's key
};

}  // namespace snapdelta::bench
