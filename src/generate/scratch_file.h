// ScratchFile: a hidden file in a client's folder that a drop writer appends to and later copies
// or reads back (the CSV so far, or the gzip members / zstd frames so far), so that memory does
// not grow with a client's history. Contract: created empty (truncating a leftover of a killed
// run); append() writes at the end; sync() makes every appended byte visible to readers of
// path(); the destructor removes the file. Throws snapdelta::Error naming the file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace snapdelta::generate {

class ScratchFile {
 public:
  ScratchFile(const std::filesystem::path& dir, const std::string& tag);
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  void append(const void* data, size_t size);
  void sync();
  const std::string& path() const { return path_; }
  uint64_t size() const { return size_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  uint64_t size_ = 0;
};

}  // namespace snapdelta::generate
