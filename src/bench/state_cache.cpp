#include "bench/state_cache.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "bench/scratch_dir.h"
#include "common/error.h"
#include "source/hash.h"

namespace snapdelta::bench {
namespace fs = std::filesystem;
namespace {

std::string identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return path + "|missing";
  return fmt::format("{}|{}|{}.{}", fs::path(path).filename().string(), st.st_size,
                     st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

}  // namespace

StateCache::StateCache(std::string dir, const std::string& executable, const std::string& client,
                       const std::string& job, const std::vector<std::string>& day_files)
    : dir_(std::move(dir)) {
  if (dir_.empty()) return;
  Hasher hasher;
  hasher.update(identity(executable));
  hasher.update("|" + client);
  hasher.update("|" + job);
  for (const auto& file : day_files) {
    hasher.update("|" + identity(file));
    keys_.push_back(fmt::format("{:016x}", hasher.digest()));
  }
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) fail(dir_, "expected a writable cache directory, found " + ec.message());
}

std::string StateCache::path(int day) const {
  if (!enabled() || day < 1 || static_cast<size_t>(day) > keys_.size()) return "";
  return fmt::format("{}/state_day{}_{}.db", dir_, day, keys_[static_cast<size_t>(day) - 1]);
}

bool StateCache::has(int day) const {
  const std::string p = path(day);
  std::error_code ec;
  return !p.empty() && fs::is_regular_file(p, ec);
}

void StateCache::store(int day, const std::string& db) const {
  const std::string target = path(day);
  if (target.empty()) return;
  const std::string temp = fmt::format("{}.tmp{}", target, ::getpid());
  copy_database(db, temp);
  std::error_code ec;
  if (fs::exists(temp + "-wal", ec)) fs::rename(temp + "-wal", target + "-wal", ec);
  fs::rename(temp, target, ec);
  if (ec) fail(target, "expected to store the cached state, found " + ec.message());
  remove_database(temp);
}

}  // namespace snapdelta::bench
