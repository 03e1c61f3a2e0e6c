// BenchOutputs: the files a bench leaves in --out — results.md, results.json, the day-by-day chart
// results_days.svg (time per run above, peak memory per run below) and the same as
// results_days.png; with --fleet also results_fleet.svg and .png — and the short summary printed on
// stdout at the end. Contract: write_outputs() writes them (creating --out if needed) or throws
// Error naming the file; only the PNG may be missing (no rsvg-convert): then png is "" and png_note
// says why in one line. summary() is a few lines: speed-up, exactness, peak memory, peers, where
// the files are.
#pragma once

#include <string>

#include "bench/bench_results.h"

namespace snapdelta::bench {

struct OutputFiles {
  std::string markdown;
  std::string json;
  std::string chart;
  std::string png;          // "" when not written
  std::string png_note;     // why it was not, in one line
  std::string fleet_chart;  // results_fleet.svg, with --fleet ("" otherwise)
  std::string fleet_png;    // "" when not written
};

inline constexpr const char* kChartFile = "results_days.svg";
inline constexpr const char* kChartPng = "results_days.png";

OutputFiles write_outputs(const BenchResults& results, const std::string& out_dir);
std::string summary(const BenchResults& results, const OutputFiles& files);

}  // namespace snapdelta::bench
