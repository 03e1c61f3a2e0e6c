// BenchOutputs: the files a bench leaves in --out — results.md, results.json and the day-by-day
// chart results_days.svg — and the short summary printed on stdout at the end.
// Contract: write_outputs() writes all three (creating --out if needed) or throws Error naming the
// file; summary() is a few lines: speed-up, exactness, peak memory, peers, where the files are.
#pragma once

#include <string>

#include "bench/bench_results.h"

namespace snapdelta::bench {

struct OutputFiles {
  std::string markdown;
  std::string json;
  std::string chart;
};

inline constexpr const char* kChartFile = "results_days.svg";

OutputFiles write_outputs(const BenchResults& results, const std::string& out_dir);
std::string summary(const BenchResults& results, const OutputFiles& files);

}  // namespace snapdelta::bench
