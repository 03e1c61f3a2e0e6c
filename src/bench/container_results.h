// ContainerResults: what `snapdelta bench --container LIST` measured, as plain data, and the
// targets judged from it; the writers (container_report) only format it.
// Terms: for each container, day K of client_1 (the seed's shape) run `--mode full` into a fresh
// database and `--mode incremental` on a fresh copy of day K-1's state (made once by an
// incremental run of day K-1, not a sample), each its own child process, side by side: in each
// sample every container runs one pair (full first in even samples, incremental first in odd
// ones; containers forward in even samples, backward in odd ones). Times are whole-process wall
// times (parent's clock), memory is ru_maxrss; the route is the incremental run's reported
// `path`; exact means every pair's incremental database equals its full one, row for row.
// Contract: Runs::from() summarizes samples (median, min, max, n). targets() derives every target
// from medians of this same run, in a fixed order; a target whose containers were not both
// measured has no measured value (met() is nullopt, reported "not measured"), never 0.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/fleet_results.h"
#include "bench/run_sample.h"
#include "bench/stats.h"
#include "store/sqlite_compare.h"

namespace snapdelta::bench {

struct Runs {
  std::vector<RunSample> samples;
  Summary wall_ms, cpu_ms, peak_rss_kb;
  std::vector<std::string> paths;  // distinct routes, in order of first use

  static Runs from(std::vector<RunSample> samples);
};

struct ContainerRow {
  std::string container;  // `generate --container` spelling
  std::string file;       // day K's drop
  uint64_t file_bytes = 0;
  Runs full, incremental;
  Comparison comparison;                  // incremental vs full, every pair counted
  std::optional<double> speedup() const;  // full / incremental wall medians
  std::string route() const;              // the incremental runs' paths, "a, b"
};

struct ContainerResults {
  std::string client;
  int day = 0;
  int repeat = 0;
  uint64_t rows_in_file = 0, new_rows = 0;
  double elapsed_ms = 0;           // the whole containers part: generation, states and samples
  std::vector<ContainerRow> rows;  // zip first

  const ContainerRow* find(const std::string& container) const;
  bool exact() const;
  std::vector<FleetTarget> targets() const;
  // The names of the missed targets (empty when none was missed).
  std::vector<std::string> missed() const;
};

}  // namespace snapdelta::bench
