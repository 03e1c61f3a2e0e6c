// ScratchDir: a private temporary directory for one bench run's databases, removed with everything
// in it when the object dies (also on errors). Database files are copied and removed together with
// their SQLite side files (-wal, -shm, -journal), so a copy is a complete, independent database.
// Contract: ScratchDir(parent) creates parent/.snapdelta-bench-XXXXXX (parent created if needed) or
// throws Error; copy_database() replaces `to` with a byte copy of `from`.
#pragma once

#include <string>

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
};

void copy_database(const std::string& from, const std::string& to);
void remove_database(const std::string& path);

}  // namespace snapdelta::bench
