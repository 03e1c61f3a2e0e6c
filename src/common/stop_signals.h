// StopSignals: SIGINT and SIGTERM ask a long-running command to stop at its next safe point.
// Contract: while an instance lives (one at a time per process), neither signal ends the process:
// each sets requested() and makes fd() readable (a self-pipe, to poll() beside other fds). Work
// in progress goes on (handlers are installed with SA_RESTART); the caller checks requested()
// between units of work. The destructor puts the previous handlers back. Constructing one when
// the pipe or a handler cannot be set up throws snapdelta::Error.
#pragma once

#include <csignal>

namespace snapdelta {

class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  int fd() const { return read_fd_; }
  bool requested() const;

 private:
  int read_fd_ = -1;
  int write_fd_ = -1;
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace snapdelta
