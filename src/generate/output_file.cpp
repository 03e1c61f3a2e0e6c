#include "generate/output_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/error.h"

namespace snapdelta::generate {

OutputFile::OutputFile(std::string path) : path_(std::move(path)), tmp_(path_ + ".tmp") {
  file_ = std::fopen(tmp_.c_str(), "wb");
  if (file_ == nullptr) fail(tmp_, std::string("cannot create the file: ") + std::strerror(errno));
}

OutputFile::~OutputFile() {
  if (file_ == nullptr) return;
  std::fclose(file_);
  std::remove(tmp_.c_str());
}

void OutputFile::write(const void* data, size_t size) {
  if (size > 0 && std::fwrite(data, 1, size, file_) != size) {
    fail(tmp_, std::string("cannot write the file: ") + std::strerror(errno));
  }
}

void OutputFile::append_file(const std::string& from) {
  std::FILE* in = std::fopen(from.c_str(), "rb");
  if (in == nullptr) fail(from, std::string("cannot open the file: ") + std::strerror(errno));
  std::vector<char> buffer(size_t{1} << 20);
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), in)) > 0) write(buffer.data(), n);
  const bool bad = std::ferror(in) != 0;
  std::fclose(in);
  if (bad) fail(from, "cannot read the file");
}

void OutputFile::commit() {
  const bool ok = std::fflush(file_) == 0;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!ok || !closed) {
    std::remove(tmp_.c_str());
    fail(tmp_, std::string("cannot write the file: ") + std::strerror(errno));
  }
  std::error_code ec;
  std::filesystem::rename(tmp_, path_, ec);
  if (ec) fail(path_, "cannot rename the written file into place: " + ec.message());
}

}  // namespace snapdelta::generate
