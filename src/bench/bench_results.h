// BenchResults: everything one `snapdelta bench` measured, as plain data; the report writers
// (markdown_report, json_report, svg_chart) only format it.
// Contract: PipelineStats::from() summarizes repeated RunSamples of one pipeline (median, min, max
// per figure; phases in the order the child reported them). Speed-up and memory reduction are
// defined here once: speedup = full wall median / incremental wall median (whole process, measured
// by the parent); memory_reduction_pct = (full - incremental) / full peak RSS medians * 100.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bench/client_rows.h"
#include "bench/run_sample.h"
#include "bench/stats.h"
#include "bench/system_info.h"

namespace snapdelta::bench {

struct PipelineStats {
  std::vector<RunSample> runs;
  Summary wall_ms;      // whole process, parent's clock
  Summary total_ms;     // in-process total the child reported
  Summary cpu_ms;       // user + sys
  Summary peak_rss_kb;  // ru_maxrss
  std::vector<std::pair<std::string, Summary>> phases_ms;
  std::vector<std::string> paths;  // distinct plan paths taken, in order of first use

  static PipelineStats from(std::vector<RunSample> runs);
  // The phase's summary, or nullptr when no run reported it.
  const Summary* phase(const std::string& name) const;
  const RunSample& last() const { return runs.back(); }
};

struct DayRow {
  int day = 0;
  RunSample full;         // the run with the median wall time of Conditions::day_runs
  RunSample incremental;  // the same; on day d-1's state (day 1: a first run, empty database)
  Comparison comparison;  // incremental vs full, every pair of this day
};

struct PeerRun {
  std::string engine;
  std::string mode;
  std::string version;
  double wall_ms = 0;
  double cpu_ms = 0;
  long peak_rss_kb = 0;
  double in_process_ms = 0;  // what the script timed itself (unzip + read + filter + group by)
  uint64_t rows_read = 0;
  uint64_t rows_used = 0;  // after the date filter
  uint64_t groups = 0;
  int64_t total_quantity = 0;
};

struct PeerRow {
  std::string engine;
  std::string mode;
  std::string version;
  Summary wall_ms;
  Summary cpu_ms;
  Summary peak_rss_kb;
  Summary in_process_ms;
  uint64_t rows_read = 0;
  uint64_t rows_used = 0;
  uint64_t groups = 0;
  int64_t total_quantity = 0;
  std::optional<bool> matches_snapdelta;  // full mode: same groups and total quantity as ours
};

struct PeerResults {
  bool requested = false;
  bool ran = false;
  std::string skipped;     // one line: why peers did not run
  std::string after_date;  // the incremental filter: transaction_date > after_date
  std::string node_version;
  std::vector<PeerRow> rows;
  std::vector<std::string> mismatches;
};

struct Conditions {
  std::string client;
  int day = 0;
  std::string data_dir;
  std::string file;
  uint64_t file_bytes = 0;
  uint64_t rows_in_file = 0;
  uint64_t new_rows = 0;  // what the incremental run of day K processed
  uint64_t groups = 0;    // the client's rows in processed_sales after day K
  int64_t total_quantity = 0;
  int repeat = 0;
  int day_runs = 0;  // runs per pipeline and day in the day-by-day section
  bool quick = false;
  bool cached_state = false;      // day K-1's state came from --db-cache
  long process_floor_rss_kb = 0;  // peak RSS of `snapdelta --version`: a child's floor
  SystemInfo system;
};

struct BenchResults {
  Conditions conditions;
  PipelineStats full;
  PipelineStats incremental;
  Comparison comparison;  // over every repeated pair: all differences counted
  std::vector<DayRow> days;
  PeerResults peers;

  double speedup() const;
  double speedup_in_process() const;
  double memory_reduction_pct() const;
  // True when the repeated pairs and every day-by-day pair matched exactly.
  bool exact() const;
};

}  // namespace snapdelta::bench
