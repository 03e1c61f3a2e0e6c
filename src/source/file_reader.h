// FileReader: positional reads from a file without mapping it, so that reading a large input does
// not grow the process's resident memory. Contract: open() throws snapdelta::Error naming the path
// when the file is missing or unreadable; read_at() returns exactly `size` bytes or throws.
#pragma once

#include <cstdint>
#include <string>

namespace snapdelta {

class FileReader {
 public:
  explicit FileReader(std::string path);
  ~FileReader();
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  const std::string& path() const { return path_; }
  uint64_t size() const { return size_; }
  void read_at(uint64_t offset, void* out, size_t size) const;

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

}  // namespace snapdelta
