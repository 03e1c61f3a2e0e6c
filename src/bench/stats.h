// Stats: the summary a benchmark reports for repeated measurements of one quantity.
// Contract: summarize() returns the median (mean of the two middle values for an even count), the
// minimum and the maximum of the values; an empty input gives n = 0 and zeros.
#pragma once

#include <cstddef>
#include <vector>

namespace snapdelta::bench {

struct Summary {
  double median = 0;
  double min = 0;
  double max = 0;
  size_t n = 0;
};

Summary summarize(std::vector<double> values);

}  // namespace snapdelta::bench
