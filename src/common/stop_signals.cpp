#include "common/stop_signals.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "common/error.h"

namespace snapdelta {
namespace {

volatile std::sig_atomic_t g_requested = 0;
volatile int g_write_fd = -1;

extern "C" void on_stop_signal(int) {
  const int saved = errno;
  g_requested = 1;
  const char byte = 1;
  if (g_write_fd >= 0 && ::write(g_write_fd, &byte, 1) < 0) {
    // the pipe is full: a wake-up is already waiting
  }
  errno = saved;
}

}  // namespace

StopSignals::StopSignals() {
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
    fail("signals", std::string("expected a self-pipe, found ") + std::strerror(errno));
  read_fd_ = fds[0];
  write_fd_ = fds[1];
  g_requested = 0;
  g_write_fd = write_fd_;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  if (::sigaction(SIGINT, &sa, &old_int_) != 0 || ::sigaction(SIGTERM, &sa, &old_term_) != 0) {
    const int err = errno;
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::close(read_fd_);
    ::close(write_fd_);
    g_write_fd = -1;
    fail("signals", std::string("expected SIGINT/SIGTERM handlers, found ") + std::strerror(err));
  }
}

StopSignals::~StopSignals() {
  ::sigaction(SIGINT, &old_int_, nullptr);
  ::sigaction(SIGTERM, &old_term_, nullptr);
  g_write_fd = -1;
  ::close(read_fd_);
  ::close(write_fd_);
}

bool StopSignals::requested() const { return g_requested != 0; }

}  // namespace snapdelta
