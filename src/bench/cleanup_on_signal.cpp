#include "bench/cleanup_on_signal.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

#include "bench/child_runner.h"
#include "common/error.h"

namespace snapdelta::bench {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr size_t kSignalCount = sizeof kSignals / sizeof kSignals[0];

char g_dir[4096];
std::atomic<bool> g_active{false};
struct sigaction g_previous[kSignalCount];

bool dot_or_dotdot(const char* name) {
  return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

// Empties the directory open as `fd`: passes over its entries until a pass finds none (removing
// entries while reading may hide others from the same pass).
void empty_directory(int fd, int depth) {
  alignas(dirent64) char buffer[4096];
  for (int pass = 0; pass < 64; ++pass) {
    ::lseek(fd, 0, SEEK_SET);
    bool found = false;
    for (;;) {
      const ssize_t got = ::getdents64(fd, buffer, sizeof buffer);
      if (got <= 0) break;
      for (ssize_t at = 0; at < got;) {
        const auto* entry = reinterpret_cast<const dirent64*>(buffer + at);
        at += entry->d_reclen;
        if (dot_or_dotdot(entry->d_name)) continue;
        found = true;
        if (::unlinkat(fd, entry->d_name, 0) == 0 || depth <= 0) continue;
        const int child =
            ::openat(fd, entry->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (child < 0) continue;
        empty_directory(child, depth - 1);
        ::close(child);
        ::unlinkat(fd, entry->d_name, AT_REMOVEDIR);
      }
    }
    if (!found) return;
  }
}

void on_signal(int sig) {
  const int saved_errno = errno;
  kill_running_child();
  if (g_active.load()) remove_tree_signal_safe(g_dir);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigemptyset(&dfl.sa_mask);
  ::sigaction(sig, &dfl, nullptr);
  sigset_t unblock;
  ::sigemptyset(&unblock);
  ::sigaddset(&unblock, sig);
  ::sigprocmask(SIG_UNBLOCK, &unblock, nullptr);
  ::raise(sig);
  errno = saved_errno;  // reached only if the default action does not end the process
}

}  // namespace

bool remove_tree_signal_safe(const char* path, int depth) {
  if (::unlink(path) == 0) return true;
  const int fd = ::open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT;
  empty_directory(fd, depth);
  ::close(fd);
  return ::rmdir(path) == 0 || errno == ENOENT;
}

CleanupOnSignal::CleanupOnSignal(const std::string& dir) {
  const std::string absolute = std::filesystem::absolute(dir).string();
  if (absolute.size() >= sizeof g_dir) {
    fail(dir, "expected a scratch path shorter than 4096 bytes, found " +
                  std::to_string(absolute.size()));
  }
  if (g_active.exchange(true)) {
    fail(dir, "expected one scratch directory guarded at a time, found another one active");
  }
  std::memcpy(g_dir, absolute.c_str(), absolute.size() + 1);
  struct sigaction action {};
  action.sa_handler = on_signal;
  ::sigemptyset(&action.sa_mask);
  for (int sig : kSignals) ::sigaddset(&action.sa_mask, sig);  // one cleanup at a time
  for (size_t i = 0; i < kSignalCount; ++i) {
    ::sigaction(kSignals[i], nullptr, &g_previous[i]);
    // An ignored signal stays ignored (e.g. SIGHUP under nohup): it never ends the bench.
    if (g_previous[i].sa_handler != SIG_IGN) ::sigaction(kSignals[i], &action, nullptr);
  }
}

CleanupOnSignal::~CleanupOnSignal() {
  for (size_t i = 0; i < kSignalCount; ++i) ::sigaction(kSignals[i], &g_previous[i], nullptr);
  g_active.store(false);
}

}  // namespace snapdelta::bench
