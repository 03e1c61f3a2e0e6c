// Wall-clock timing for run phases. Contract: ms_since(t) is the milliseconds elapsed since t on
// the monotonic clock.
#pragma once

#include <chrono>

namespace snapdelta {

using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

}  // namespace snapdelta
