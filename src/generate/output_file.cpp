#include "generate/output_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/error.h"

namespace snapdelta::generate {

namespace {

// Whether the files at `a` and `b` hold the same bytes (false when either cannot be read).
bool same_bytes(const std::string& a, const std::string& b) {
  std::error_code ec1, ec2;
  const auto size_a = std::filesystem::file_size(a, ec1);
  const auto size_b = std::filesystem::file_size(b, ec2);
  if (ec1 || ec2 || size_a != size_b) return false;
  std::FILE* fa = std::fopen(a.c_str(), "rb");
  std::FILE* fb = std::fopen(b.c_str(), "rb");
  bool same = fa != nullptr && fb != nullptr;
  std::vector<char> x(size_t{1} << 20), y(size_t{1} << 20);
  while (same) {
    const size_t n = std::fread(x.data(), 1, x.size(), fa);
    const size_t m = std::fread(y.data(), 1, y.size(), fb);
    same =
        n == m && std::memcmp(x.data(), y.data(), n) == 0 && !std::ferror(fa) && !std::ferror(fb);
    if (n == 0) break;
  }
  if (fa) std::fclose(fa);
  if (fb) std::fclose(fb);
  return same;
}

}  // namespace

void move_into_place(const std::string& tmp, const std::string& path) {
  if (same_bytes(tmp, path)) {
    std::remove(tmp.c_str());
    return;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    fail(path, "cannot rename the written file into place: " + ec.message());
  }
}

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
  move_into_place(tmp_, path_);
}

}  // namespace snapdelta::generate
