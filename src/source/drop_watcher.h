// DropWatcher: tells which clients of a data directory may have a new drop, through Linux inotify.
// Contract:
// - The constructor watches data_dir itself (client folders created, moved in, removed) and every
//   folder in it (files created, written, closed after writing, moved in, their attributes
//   changed). A folder that appears later is watched from the moment read() sees it appear, and
//   is reported then, since drops may have been written into it before its watch was in place.
// - fd() becomes readable when events wait (poll it); read() drains them without blocking and
//   returns the client folders they touched, each once, in the order first seen. When the kernel
//   dropped events (queue overflow) every client folder is reported.
// - A report is a hint, not a verdict: the client may have nothing new, or a drop still being
//   written; the caller judges the files (drop_settler.h).
// - A client folder removed stops being watched; one created again is watched again.
// - Errors throw snapdelta::Error naming the directory: inotify unavailable, data_dir missing or
//   unreadable, or data_dir removed or moved away while watched.
#pragma once

#include <map>
#include <string>
#include <vector>

struct inotify_event;

namespace snapdelta {

class DropWatcher {
 public:
  explicit DropWatcher(std::string data_dir);
  ~DropWatcher();
  DropWatcher(const DropWatcher&) = delete;
  DropWatcher& operator=(const DropWatcher&) = delete;

  int fd() const { return fd_; }
  std::vector<std::string> read();

 private:
  void watch_data_dir();
  void watch_client(const std::string& name);
  void watch_every_client(std::vector<std::string>& touched);
  void handle(const inotify_event& ev, std::vector<std::string>& touched);
  void on_data_dir_event(uint32_t mask, const std::string& name, std::vector<std::string>& touched);

  std::string data_dir_;
  int fd_ = -1;
  int data_wd_ = -1;
  std::map<int, std::string> clients_;  // watch descriptor -> client folder name
};

}  // namespace snapdelta
