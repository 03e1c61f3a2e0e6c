#include "bench/report_numbers.h"

#include <fmt/format.h>

#include <cmath>

namespace snapdelta::bench {

double r3(double v) { return std::round(v * 1000.0) / 1000.0; }

std::string ms(double v) {
  if (v >= 100) return fmt::format("{:.0f}", v);
  if (v >= 10) return fmt::format("{:.1f}", v);
  return fmt::format("{:.2f}", v);
}

}  // namespace snapdelta::bench
