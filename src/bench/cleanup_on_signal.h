// CleanupOnSignal: while it lives, SIGINT, SIGTERM and SIGHUP no longer leave a bench's scratch
// directory behind. The handler kills the measured child that is running (its whole process group,
// see child_runner.h), removes the directory tree, restores the default action and re-raises the
// signal, so the process still dies of it (exit status as before, e.g. 130 in a shell for ^C).
// Contract: one instance at a time (a second one throws Error); the handler uses only
// async-signal-safe calls (kill, waitpid, openat, getdents64, unlinkat, sigaction, raise); the
// previous actions are restored when the object dies. SIGKILL cannot be caught: ScratchDir removes
// the directories of dead processes at the next start instead.
#pragma once

#include <string>

namespace snapdelta::bench {

class CleanupOnSignal {
 public:
  explicit CleanupOnSignal(const std::string& dir);
  ~CleanupOnSignal();
  CleanupOnSignal(const CleanupOnSignal&) = delete;
  CleanupOnSignal& operator=(const CleanupOnSignal&) = delete;
};

// Removes the tree at `path` with async-signal-safe calls only (at most `depth` levels deep).
// Returns true when the path is gone. Also usable outside a handler.
bool remove_tree_signal_safe(const char* path, int depth = 8);

}  // namespace snapdelta::bench
