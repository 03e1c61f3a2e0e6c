// ScratchDir: a private temporary directory for one bench run's databases, removed with everything
// in it when the object dies (also on errors), on SIGINT, SIGTERM and SIGHUP (CleanupOnSignal),
// and, after a SIGKILL, by the next bench in the same parent: its name carries the owner's pid, and
// directories of pids that no longer exist are removed before a new one is made.
// Database files are copied and removed together with their SQLite side files (-wal, -shm,
// -journal), so a copy is a complete, independent database.
// Contract: ScratchDir(parent) creates parent/.snapdelta-bench-<pid>-XXXXXX (parent created if
// needed) or throws Error; copy_database() replaces `to` with a byte copy of `from`.
#pragma once

#include <memory>
#include <string>

#include "bench/cleanup_on_signal.h"

namespace snapdelta::bench {

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& parent);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
  std::unique_ptr<CleanupOnSignal> on_signal_;
};

inline constexpr const char* kScratchPrefix = ".snapdelta-bench-";

// Removes parent/.snapdelta-bench-<pid>-* directories whose process no longer exists; returns how
// many. Directories of live processes (and names without a pid) are left alone.
int remove_stale_scratch(const std::string& parent);

void copy_database(const std::string& from, const std::string& to);
void remove_database(const std::string& path);

}  // namespace snapdelta::bench
