#include "bench/scratch_dir.h"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/error.h"

namespace snapdelta::bench {
namespace fs = std::filesystem;
namespace {

constexpr const char* kSideFiles[] = {"-wal", "-shm", "-journal"};

// The pid in ".snapdelta-bench-<pid>-XXXXXX", or 0 when the name has none.
pid_t owner_pid(const std::string& name) {
  const std::string prefix = kScratchPrefix;
  if (name.rfind(prefix, 0) != 0) return 0;
  const size_t dash = name.find('-', prefix.size());
  if (dash == std::string::npos || dash == prefix.size() || dash - prefix.size() > 9) return 0;
  long pid = 0;
  for (size_t i = prefix.size(); i < dash; ++i) {
    if (name[i] < '0' || name[i] > '9') return 0;
    pid = pid * 10 + (name[i] - '0');
  }
  return static_cast<pid_t>(pid);
}

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

}  // namespace

int remove_stale_scratch(const std::string& parent) {
  int removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const pid_t pid = owner_pid(it->path().filename().string());
    if (pid <= 0 || pid == ::getpid() || process_exists(pid)) continue;
    std::error_code remove_ec;
    if (it->is_directory(remove_ec) && fs::remove_all(it->path(), remove_ec) > 0) ++removed;
  }
  return removed;
}

ScratchDir::ScratchDir(const std::string& parent) {
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) fail(parent, "expected a writable directory, found " + ec.message());
  remove_stale_scratch(parent);
  std::string pattern =
      (fs::path(parent) / (kScratchPrefix + std::to_string(::getpid()) + "-XXXXXX")).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    fail(parent,
         std::string("expected to create a scratch directory, found ") + std::strerror(errno));
  }
  path_ = buffer.data();
  try {
    on_signal_ = std::make_unique<CleanupOnSignal>(path_);
  } catch (...) {
    std::error_code remove_ec;
    fs::remove_all(path_, remove_ec);
    throw;
  }
}

ScratchDir::~ScratchDir() {  // on_signal_ goes after the directory: no window without either
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
