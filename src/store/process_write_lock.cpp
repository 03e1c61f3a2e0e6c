#include "store/process_write_lock.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <map>

#include "common/error.h"

namespace snapdelta {

std::shared_ptr<std::timed_mutex> ProcessWriteLock::for_file(const std::string& path) {
  static std::mutex registry_mutex;
  static std::map<std::string, std::weak_ptr<std::timed_mutex>> registry;
  std::error_code ec;
  std::string key = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
  if (ec) key = path;
  std::lock_guard guard(registry_mutex);
  std::erase_if(registry, [](const auto& entry) { return entry.second.expired(); });
  std::weak_ptr<std::timed_mutex>& slot = registry[key];
  std::shared_ptr<std::timed_mutex> mutex = slot.lock();
  if (!mutex) {
    mutex = std::make_shared<std::timed_mutex>();
    slot = mutex;
  }
  return mutex;
}

std::unique_lock<std::timed_mutex> ProcessWriteLock::take(std::timed_mutex& mutex,
                                                          const std::string& path,
                                                          int busy_timeout_ms) {
  std::unique_lock lock(mutex, std::chrono::milliseconds(busy_timeout_ms));
  if (!lock.owns_lock()) {
    fail(path, fmt::format("cannot take the database write lock: held by another job of this "
                           "process for longer than --busy-timeout-ms ({} ms)",
                           busy_timeout_ms));
  }
  return lock;
}

}  // namespace snapdelta
