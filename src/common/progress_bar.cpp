#include "common/progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace snapdelta {

bool ProgressBar::enabled() {
  static const bool tty = isatty(STDERR_FILENO) == 1;
  return tty;
}

ProgressBar::ProgressBar(std::string label, uint64_t total)
    : label_(std::move(label)), total_(total == 0 ? 1 : total), active_(enabled()) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::set_label(std::string label) {
  label_ = std::move(label);
  if (active_) draw();
}

void ProgressBar::update(uint64_t done) {
  done_ = done > total_ ? total_ : done;
  if (!active_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done_ != total_ && now - last_draw_ < std::chrono::milliseconds(50)) return;
  last_draw_ = now;
  draw();
}

void ProgressBar::draw() {
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(kWidth * done_ / total_);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), '.');
  std::fprintf(stderr, "\r%-28s [%s] %3d%%", label_.c_str(), bar.c_str(),
               static_cast<int>(100 * done_ / total_));
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (finished_) return;
  finished_ = true;
  if (!active_) return;
  done_ = total_;
  draw();
  std::fputc('\n', stderr);
}

}  // namespace snapdelta
