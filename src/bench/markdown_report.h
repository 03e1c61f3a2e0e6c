// MarkdownReport: results.md, the human-readable report. After a headline, "How to read this
// report" (which samples each figure is, and a word on noise), "Terms" (every term the report
// uses), then the seed's sections: "Benchmark conditions", "Baseline (full)", "Optimized
// (incremental)", "Improvements", "Correctness", "Day by day" (table + the chart as an image link,
// and the PNG when there is one), and "Peers" when --peers was given (the table when they ran, the
// one-line reason when skipped), "Containers" with --container (container_report.h) and "Fleet"
// with --fleet (fleet_report.h). Contract:
// render_markdown() is a pure function of the results; chart paths are relative to the report.
// Speed multiplier: 1 decimal; memory reduction: 0 decimals. Every median is followed by its
// min–max and n; what was not measured reads "not measured" or "n/a", never 0.
#pragma once

#include <string>

#include "bench/bench_results.h"

namespace snapdelta::bench {

struct ChartFiles {
  std::string svg;
  std::string png;        // "" when no PNG was written
  std::string fleet_svg;  // the fleet's chart (with --fleet)
  std::string fleet_png;
};

std::string render_markdown(const BenchResults& results, const ChartFiles& chart);
void write_markdown_report(const BenchResults& results, const ChartFiles& chart,
                           const std::string& path);

// 1234567 -> "1,234,567".
std::string group_thousands(uint64_t n);

}  // namespace snapdelta::bench
