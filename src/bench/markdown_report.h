// MarkdownReport: results.md, the human-readable report with the seed's sections, in this order:
// "Benchmark conditions", "Baseline (full)", "Optimized (incremental)", "Improvements",
// "Correctness", "Day by day" (table + the chart as an image link), and "Peers" when --peers was
// given (the table when they ran, the one-line reason when skipped).
// Contract: render_markdown() is a pure function of the results; `chart_file` is the SVG's path
// relative to the report. Speed multiplier: 1 decimal; memory reduction: 0 decimals.
#pragma once

#include <string>

#include "bench/bench_results.h"

namespace snapdelta::bench {

std::string render_markdown(const BenchResults& results, const std::string& chart_file);
void write_markdown_report(const BenchResults& results, const std::string& chart_file,
                           const std::string& path);

// 1234567 -> "1,234,567".
std::string group_thousands(uint64_t n);

}  // namespace snapdelta::bench
