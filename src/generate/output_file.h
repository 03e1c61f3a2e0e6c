// Writing a generated drop so that a killed writer never leaves a partial file under its name:
// the bytes go to `path.tmp`, which is renamed to `path` once complete.
// Contract: OutputFile opens `path.tmp` for writing (truncating it); write() appends; commit()
// flushes, closes and renames it to `path`. Dropped without commit(), it removes `path.tmp`.
// A `path` that already holds exactly the bytes written is left as it was (not rewritten, its
// mtime untouched: a watcher or a cache keyed on it sees no change), and `path.tmp` is removed.
// Every failure throws snapdelta::Error naming the file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>

namespace snapdelta::generate {

// Renames `tmp` to `path`, unless `path` already holds the same bytes: then `tmp` is removed and
// `path` left untouched. An Error naming `path` when the rename fails.
void move_into_place(const std::string& tmp, const std::string& path);

class OutputFile {
 public:
  explicit OutputFile(std::string path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(const void* data, size_t size);
  void write(std::span<const uint8_t> bytes) { write(bytes.data(), bytes.size()); }
  // Appends the whole content of the file at `from`.
  void append_file(const std::string& from);
  void commit();

 private:
  std::string path_;
  std::string tmp_;
  std::FILE* file_ = nullptr;
};

}  // namespace snapdelta::generate
