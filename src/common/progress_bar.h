// A one-line progress bar on stderr, drawn only when stderr is a terminal (silent in pipes, CI and
// tests). Contract: update() is cheap to call often (redraws at most ~20 times a second) and may be
// called from any one thread at a time; finish() ends the line. Never writes to stdout.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace snapdelta {

class ProgressBar {
 public:
  ProgressBar(std::string label, uint64_t total);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(uint64_t done);
  void set_label(std::string label);
  void finish();
  static bool enabled();

 private:
  void draw();
  std::string label_;
  uint64_t total_;
  uint64_t done_ = 0;
  bool active_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace snapdelta
