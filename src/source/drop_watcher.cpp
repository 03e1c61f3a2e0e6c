#include "source/drop_watcher.h"

#include <fmt/format.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "common/error.h"
#include "source/drop_catalog.h"

namespace snapdelta {
namespace {

namespace fs = std::filesystem;

// The data dir: client folders appearing; the watch ending means the folder went away.
constexpr uint32_t kDataDirMask =
    IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
// A client folder: anything that can make or change a drop. IN_MODIFY lets a writer that
// resumes after a pause be seen at once, not only when it closes the file.
constexpr uint32_t kClientMask =
    IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB | IN_MOVE_SELF | IN_ONLYDIR;

void add_once(std::vector<std::string>& touched, const std::string& client) {
  if (std::find(touched.begin(), touched.end(), client) == touched.end()) touched.push_back(client);
}

bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

}  // namespace

DropWatcher::DropWatcher(std::string data_dir) : data_dir_(std::move(data_dir)) {
  fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) {
    fail(drops::absolute_dir(data_dir_),
         fmt::format("expected to watch the directory, found inotify unavailable: {}",
                     std::strerror(errno)));
  }
  try {
    watch_data_dir();
    std::vector<std::string> ignored;
    watch_every_client(ignored);
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

DropWatcher::~DropWatcher() { ::close(fd_); }

void DropWatcher::watch_data_dir() {
  data_wd_ = ::inotify_add_watch(fd_, data_dir_.c_str(), kDataDirMask);
  if (data_wd_ < 0) {
    fail(drops::absolute_dir(data_dir_),
         fmt::format("expected a data directory to watch, found {}", std::strerror(errno)));
  }
}

void DropWatcher::watch_client(const std::string& name) {
  const std::string path = (fs::path(data_dir_) / name).string();
  const int wd = ::inotify_add_watch(fd_, path.c_str(), kClientMask);
  if (wd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return;  // gone again, or not a folder
    fail(drops::absolute_dir(path),
         errno == ENOSPC
             ? "expected a client folder to watch, found the inotify watch limit reached "
               "(raise fs.inotify.max_user_watches)"
             : fmt::format("expected a client folder to watch, found {}", std::strerror(errno)));
  }
  clients_[wd] = name;
}

void DropWatcher::watch_every_client(std::vector<std::string>& touched) {
  for (const std::string& name : drops::folders(data_dir_)) {
    watch_client(name);
    add_once(touched, name);
  }
}

void DropWatcher::on_data_dir_event(uint32_t mask, const std::string& name,
                                    std::vector<std::string>& touched) {
  if (mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT)) {
    fail(drops::absolute_dir(data_dir_),
         "expected the data directory to stay while watched, found it removed or moved away");
  }
  if ((mask & (IN_CREATE | IN_MOVED_TO)) && is_dir(fs::path(data_dir_) / name)) {
    watch_client(name);
    add_once(touched, name);
  }
}

std::vector<std::string> DropWatcher::read() {
  std::vector<std::string> touched;
  alignas(inotify_event) char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return touched;
    if (n <= 0) {
      fail(drops::absolute_dir(data_dir_),
           fmt::format("expected inotify events, found {}", n < 0 ? std::strerror(errno) : "EOF"));
    }
    for (const char* p = buf; p < buf + n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(p);
      handle(*ev, touched);
      p += sizeof(inotify_event) + ev->len;
    }
  }
}

void DropWatcher::handle(const inotify_event& ev, std::vector<std::string>& touched) {
  if (ev.mask & IN_Q_OVERFLOW) {
    watch_every_client(touched);  // events were lost: every folder may hold something new
    return;
  }
  if (ev.wd == data_wd_) {
    on_data_dir_event(ev.mask, ev.len ? std::string(ev.name) : std::string(), touched);
    return;
  }
  const auto it = clients_.find(ev.wd);
  if (it == clients_.end()) return;                            // a watch already given up
  if (ev.mask & IN_MOVE_SELF) ::inotify_rm_watch(fd_, ev.wd);  // watched again under its new name
  if (ev.mask & (IN_IGNORED | IN_MOVE_SELF)) {
    clients_.erase(it);
  } else {
    add_once(touched, it->second);
  }
}

}  // namespace snapdelta
