// Drop: one daily drop opened for reading: the zip member located in it (zip_entry.h) and the file
// open for positional reads (file_reader.h). Contract: the constructor locates the member first,
// then opens the file, and throws snapdelta::Error naming the path as locate_zip_entry() and
// FileReader do; a Drop is neither copied nor moved, so references to its parts stay valid.
#pragma once

#include <string>

#include "source/file_reader.h"
#include "source/zip_entry.h"

namespace snapdelta {

class Drop {
 public:
  explicit Drop(const std::string& path) : entry_(locate_zip_entry(path)), file_(path) {}
  Drop(const Drop&) = delete;
  Drop& operator=(const Drop&) = delete;

  const ZipEntry& entry() const { return entry_; }
  const FileReader& file() const { return file_; }

 private:
  ZipEntry entry_;  // declared before file_: located before the file is opened
  FileReader file_;
};

}  // namespace snapdelta
