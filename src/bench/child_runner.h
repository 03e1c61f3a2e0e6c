// ChildRunner: runs one program as a child process and measures it the way the kernel accounts it.
// Contract: run_child() fork()s, exec()s argv (argv[0] is a path; no PATH search), feeds it
// /dev/null on stdin, captures its stdout and stderr in full, and reaps it with wait4(), so
// peak_rss_kb (ru_maxrss) and cpu_ms (user + sys) belong to that child (and to any children it
// reaped itself), never to the caller. wall_ms is taken by the parent from just before fork() to
// just after wait4(). A child that exits non-zero or dies on a signal is a result, not an error;
// Error is thrown only when the child cannot be started (fork, pipe or exec failure).
// Each child leads its own process group and is sent SIGKILL if the parent dies (PR_SET_PDEATHSIG),
// so a killed bench leaves no measured run behind; kill_running_child() (async-signal-safe) kills
// the group of the child being waited for, if any, and reaps it — for a signal handler.
// Note: fork() copies the parent's anonymous pages, and ru_maxrss is the maximum over the child's
// life, so keep the parent small: a child's peak below the parent's size is reported as that size.
#pragma once

#include <string>
#include <vector>

namespace snapdelta::bench {

struct ChildOptions {
  std::string cwd;  // empty: inherit the parent's working directory
};

struct ChildResult {
  int exit_code = -1;  // exit status, or -1 when killed by a signal
  int term_signal = 0;
  double wall_ms = 0;
  double user_ms = 0;
  double sys_ms = 0;
  double cpu_ms = 0;  // user + sys
  long peak_rss_kb = 0;
  std::string out;
  std::string err;

  bool ok() const { return exit_code == 0; }
  // The child's last non-empty stderr line (its one-line error), or a description of its death.
  std::string failure() const;
};

ChildResult run_child(const std::vector<std::string>& argv, const ChildOptions& options = {});

// At most this many children run at once (run_children).
inline constexpr size_t kMaxChildren = 16;

// Starts every command at once (each a child as run_child() makes them) and waits for all; the
// results come in the commands' order. Each one's wall_ms runs from just before the first fork to
// the end of that child's output (its stdout and stderr closed, which is its exit for our
// commands); peak RSS and CPU time are each child's own (wait4).
std::vector<ChildResult> run_children(const std::vector<std::vector<std::string>>& argvs,
                                      const ChildOptions& options = {});

// Kills (SIGKILL) the process groups of the children run_child() or run_children() is waiting
// for and reaps them; does nothing when none runs. Only async-signal-safe calls; the runner then
// must not be resumed.
void kill_running_child();

// The absolute path of the running executable (/proc/self/exe).
std::string self_executable();

// Looks `name` up on PATH; returns "" when it is not an executable file anywhere there.
std::string find_on_path(const std::string& name);

// "a b 'c d'" rendering of argv for messages.
std::string render_command(const std::vector<std::string>& argv);

}  // namespace snapdelta::bench
