#include "bench/scratch_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/error.h"

namespace snapdelta::bench {
namespace fs = std::filesystem;
namespace {

constexpr const char* kSideFiles[] = {"-wal", "-shm", "-journal"};

}  // namespace

ScratchDir::ScratchDir(const std::string& parent) {
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) fail(parent, "expected a writable directory, found " + ec.message());
  std::string pattern = (fs::path(parent) / ".snapdelta-bench-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    fail(parent,
         std::string("expected to create a scratch directory, found ") + std::strerror(errno));
  }
  path_ = buffer.data();
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void remove_database(const std::string& path) {
  std::error_code ec;
  fs::remove(path, ec);
  for (const char* side : kSideFiles) fs::remove(path + side, ec);
}

void copy_database(const std::string& from, const std::string& to) {
  remove_database(to);
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) fail(from, "expected a database file to copy, found " + ec.message());
  for (const char* side : {"-wal", "-journal"}) {
    if (fs::exists(from + side, ec)) {
      fs::copy_file(from + side, to + side, fs::copy_options::overwrite_existing, ec);
      if (ec) fail(from + side, "expected a database side file to copy, found " + ec.message());
    }
  }
}

}  // namespace snapdelta::bench
