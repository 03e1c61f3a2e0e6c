#include "bench/child_runner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

#include "common/error.h"

namespace snapdelta::bench {
namespace {

// The children being waited for (0: a free slot); read by kill_running_child() from a signal
// handler.
std::atomic<pid_t> g_running[kMaxChildren] = {};
static_assert(std::atomic<pid_t>::is_always_lock_free);

// Blocks the signals a bench cleans up on while the running child is registered or cleared, so a
// handler never sees a child that is not in g_running yet, or one already reaped.
class BlockCleanupSignals {
 public:
  BlockCleanupSignals() {
    sigset_t set;
    ::sigemptyset(&set);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaddset(&set, sig);
    ::sigprocmask(SIG_BLOCK, &set, &previous_);
  }
  ~BlockCleanupSignals() { ::sigprocmask(SIG_SETMASK, &previous_, nullptr); }
  const sigset_t& previous() const { return previous_; }

 private:
  sigset_t previous_;
};

double to_ms(const timeval& tv) { return tv.tv_sec * 1e3 + tv.tv_usec / 1e3; }

// A pipe whose two ends are closed on exec, so no child inherits another's pipe ends.
struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (pipe2(fd, O_CLOEXEC) != 0) fail("pipe", std::strerror(errno));
  }
  ~Pipe() { close_all(); }
  void close_end(int i) {
    if (fd[i] >= 0) ::close(fd[i]);
    fd[i] = -1;
  }
  void close_all() {
    close_end(0);
    close_end(1);
  }
};

// Runs in the forked child: only async-signal-safe calls until exec. The child leads its own
// process group, dies with its parent, and starts with the parent's signal mask from before fork.
[[noreturn]] void exec_child(const std::vector<char*>& args, const ChildOptions& options,
                             int out_fd, int err_fd, int report_fd, pid_t parent,
                             const sigset_t& mask) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);     // the parent died before prctl took effect
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {  // not the parent's cleanup handler; ignored stays
    struct sigaction current {};
    ::sigaction(sig, nullptr, &current);
    if (current.sa_handler != SIG_IGN) ::signal(sig, SIG_DFL);
  }
  ::sigprocmask(SIG_SETMASK, &mask, nullptr);
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
  ::dup2(out_fd, STDOUT_FILENO);
  ::dup2(err_fd, STDERR_FILENO);
  if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) {
    int e = errno;
    (void)!::write(report_fd, &e, sizeof e);
    ::_exit(127);
  }
  ::execv(args[0], args.data());
  int e = errno;
  (void)!::write(report_fd, &e, sizeof e);
  ::_exit(127);
}

}  // namespace

std::string ChildResult::failure() const {
  std::string last;
  size_t end = err.size();
  while (end > 0) {
    size_t start = err.rfind('\n', end - 1);
    start = start == std::string::npos ? 0 : start + 1;
    std::string line = err.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) {
      last = line;
      break;
    }
    if (start == 0) break;
    end = start - 1;
  }
  if (term_signal != 0) {
    return "killed by signal " + std::to_string(term_signal) + " (" + strsignal(term_signal) + ")" +
           (last.empty() ? "" : ": " + last);
  }
  if (last.empty()) return "exit status " + std::to_string(exit_code) + " with no message";
  return last;
}

namespace {

// Forks and execs the child with the cleanup signals blocked until it is registered in g_running.
pid_t start_child(const std::vector<std::string>& argv, const ChildOptions& options, Pipe& out,
                  Pipe& err, Pipe& report, size_t slot) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  BlockCleanupSignals blocked;
  const pid_t pid = ::fork();
  if (pid < 0) fail(argv[0], std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    exec_child(args, options, out.fd[1], err.fd[1], report.fd[1], parent, blocked.previous());
  }
  ::setpgid(pid, pid);  // also here, so the group exists before any handler may signal it
  g_running[slot].store(pid);
  out.close_end(1);
  err.close_end(1);
  report.close_end(1);
  return pid;
}

// Drains stdout and stderr together so a chatty child never blocks on a full pipe.
void drain(Pipe& out, Pipe& err, ChildResult& result) {
  pollfd fds[2] = {{out.fd[0], POLLIN, 0}, {err.fd[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  char buffer[65536];
  while (open_count > 0) {
    int n = ::poll(fds, 2, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
}

// Waits for the child's end without reaping it, so that a signal handler can still kill and reap
// it; then, with the cleanup signals blocked, forgets it and reaps it with its resource usage.
// Returns when it ended (the stop of its wall time).
std::chrono::steady_clock::time_point reap(pid_t pid, size_t slot, const std::string& name,
                                           int& status, rusage& usage) {
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) < 0) {
    if (errno != EINTR) break;  // wait4 below reports the error
  }
  const auto stop = std::chrono::steady_clock::now();
  BlockCleanupSignals blocked;
  g_running[slot].store(0);
  while (::wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) fail(name, std::string("wait4 failed: ") + std::strerror(errno));
  }
  return stop;
}

// Throws when the child reported that exec failed.
void check_exec(Pipe& report, const std::string& name) {
  int exec_errno = 0;
  if (::read(report.fd[0], &exec_errno, sizeof exec_errno) == sizeof exec_errno) {
    fail(name, std::string("could not execute: ") + std::strerror(exec_errno));
  }
}

void fill_usage(ChildResult& result, int status, const rusage& usage) {
  result.user_ms = to_ms(usage.ru_utime);
  result.sys_ms = to_ms(usage.ru_stime);
  result.cpu_ms = result.user_ms + result.sys_ms;
  result.peak_rss_kb = usage.ru_maxrss;  // Linux reports kilobytes
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.term_signal = WTERMSIG(status);
  }
}

// One running child of run_children(): its pipes, pid and what was read so far.
struct Running {
  Pipe out, err, report;
  pid_t pid = 0;
  int open = 2;
  std::chrono::steady_clock::time_point end;  // when both pipes closed
  ChildResult result;
};

// Drains every child's stdout and stderr together; records when each one's output ended.
void drain_all(std::vector<std::unique_ptr<Running>>& children) {
  std::vector<pollfd> fds;
  for (const auto& c : children) {
    fds.push_back({c->out.fd[0], POLLIN, 0});
    fds.push_back({c->err.fd[0], POLLIN, 0});
  }
  size_t open_count = fds.size();
  char buffer[65536];
  while (open_count > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      Running& c = *children[i / 2];
      const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        (i % 2 == 0 ? c.result.out : c.result.err).append(buffer, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_count;
        if (--c.open == 0) c.end = std::chrono::steady_clock::now();
      }
    }
  }
}

}  // namespace

ChildResult run_child(const std::vector<std::string>& argv, const ChildOptions& options) {
  if (argv.empty()) fail("run_child", "expected a command, found an empty argument list");
  Pipe out, err, report;
  ChildResult result;
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = start_child(argv, options, out, err, report, 0);
  drain(out, err, result);
  int status = 0;
  rusage usage{};
  const auto stop = reap(pid, 0, argv[0], status, usage);
  check_exec(report, argv[0]);
  result.wall_ms = std::chrono::duration<double, std::milli>(stop - start).count();
  fill_usage(result, status, usage);
  return result;
}

std::vector<ChildResult> run_children(const std::vector<std::vector<std::string>>& argvs,
                                      const ChildOptions& options) {
  if (argvs.size() > kMaxChildren) {
    fail("run_children",
         fmt::format("expected at most {} commands at once, found {}", kMaxChildren, argvs.size()));
  }
  std::vector<std::unique_ptr<Running>> children;
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < argvs.size(); ++i) {
    if (argvs[i].empty()) fail("run_children", "expected a command, found an empty argument list");
    children.push_back(std::make_unique<Running>());
    Running& c = *children.back();
    c.pid = start_child(argvs[i], options, c.out, c.err, c.report, i);
  }
  drain_all(children);
  std::vector<ChildResult> results;
  for (size_t i = 0; i < children.size(); ++i) {
    Running& c = *children[i];
    int status = 0;
    rusage usage{};
    reap(c.pid, i, argvs[i][0], status, usage);
    c.result.wall_ms = std::chrono::duration<double, std::milli>(c.end - start).count();
    fill_usage(c.result, status, usage);
    results.push_back(std::move(c.result));
  }
  for (size_t i = 0; i < children.size(); ++i) check_exec(children[i]->report, argvs[i][0]);
  return results;
}

void kill_running_child() {
  for (auto& slot : g_running) {
    const pid_t pid = slot.load();
    if (pid <= 0) continue;
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);  // should the group not exist
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

std::string self_executable() {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec)
    fail("/proc/self/exe", "expected a readable link to this executable, found " + ec.message());
  return path.string();
}

std::string find_on_path(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t pos = 0;
  while (pos <= dirs.size()) {
    size_t end = dirs.find(':', pos);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(pos, end - pos);
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    pos = end + 1;
  }
  return "";
}

std::string render_command(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    bool plain = !a.empty() && a.find_first_of(" \t'\"\\$") == std::string::npos;
    out += plain ? a : "'" + a + "'";
  }
  return out;
}

}  // namespace snapdelta::bench
