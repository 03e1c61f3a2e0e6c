// BenchResults: everything one `snapdelta bench` measured, as plain data; the report writers
// (markdown_report, json_report, svg_chart) only format it.
// Contract: PipelineStats::from() summarizes repeated RunSamples of one pipeline (median, min, max
// per figure; phases in the order the child reported them). Speed-up and memory reduction are
// defined here once: speedup = full wall median / incremental wall median (whole process, measured
// by the parent); memory_reduction_pct = (full - incremental) / full peak RSS medians * 100;
// pair_speedups = full / incremental wall time of each side-by-side pair of day K. Each is empty
// (std::nullopt) when its denominator is zero or missing. What was not measured is std::nullopt,
// never 0, so that the writers can say so (null in JSON, "not measured" / "n/a" in markdown).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bench/container_results.h"
#include "bench/fleet_results.h"
#include "bench/run_sample.h"
#include "bench/stats.h"
#include "bench/system_info.h"
#include "store/sqlite_compare.h"

namespace snapdelta::bench {

// Said once, in results.md and results.json: why absolute times move and what to compare.
inline constexpr const char* kNoiseNote =
    "The machine may be shared and is noisy: absolute times can differ a lot between two benches "
    "(other processes compete for the cores and caches), so compare the ratios, which are "
    "measured side by side: full and incremental runs alternate (full first, then incremental "
    "first), so both see the same conditions.";

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
  // Conditions::day_runs runs each, or for day K the repeated pairs themselves (`repeated`), so
  // that day K's figures are the same samples as the headline's.
  PipelineStats full;
  PipelineStats incremental;  // on day d-1's state (day 1: a first run, empty database)
  Comparison comparison;      // incremental vs full, every pair of this day
  bool repeated = false;
};

struct PeerRun {
  std::string engine;
  std::string mode;
  std::string version;
  double wall_ms = 0;
  double cpu_ms = 0;
  long peak_rss_kb = 0;
  // What the script reported; nullopt when it did not (startup runs do no work; DuckDB does not
  // count the rows its incremental filter drops).
  std::optional<double> in_process_ms;  // unzip + read + filter + group by, timed in the script
  std::optional<uint64_t> rows_read;
  std::optional<uint64_t> rows_used;  // after the date filter
  std::optional<uint64_t> groups;
  std::optional<int64_t> total_quantity;
};

struct PeerRow {
  std::string engine;
  std::string mode;
  std::string version;
  Summary wall_ms;
  Summary cpu_ms;
  Summary peak_rss_kb;
  std::optional<Summary> in_process_ms;  // nullopt when no run reported it
  std::optional<uint64_t> rows_read;     // as the last run reported them
  std::optional<uint64_t> rows_used;
  std::optional<uint64_t> groups;
  std::optional<int64_t> total_quantity;
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

// With a job file: the built-in job over the same drops, run beside the job's pairs (alternating),
// so the cost of the job's shape shows as a ratio measured in one run.
struct BuiltinBeside {
  std::string skipped;  // one line: why it did not run ("" when it ran)
  PipelineStats full;
  PipelineStats incremental;
  bool ran() const { return skipped.empty(); }
};

struct Conditions {
  std::string client;
  int day = 0;
  std::string data_dir;
  std::string file;
  uint64_t file_bytes = 0;
  uint64_t rows_in_file = 0;
  uint64_t new_rows = 0;                // what the incremental run of day K processed
  uint64_t groups = 0;                  // the client's rows in the job's tables after day K
  int64_t total_quantity = 0;           // the built-in job's; 0 for a job file
  std::optional<std::string> job_file;  // nullopt: the built-in job
  std::string job_tables;               // the job's tables as the report names them
  int repeat = 0;
  int day_runs = 0;  // runs per pipeline and day in the day-by-day section
  bool quick = false;
  bool cached_state = false;                 // day K-1's state came from --db-cache
  std::string store = "SQLite";              // or the PostgreSQL server (password redacted)
  std::optional<long> process_floor_rss_kb;  // peak RSS of `snapdelta --version`: a child's floor
  // 1-minute load average (/proc/loadavg) when the bench started and when it ended: how busy the
  // machine was besides the bench.
  std::optional<double> load_start;
  std::optional<double> load_end;
  SystemInfo system;
};

struct BenchResults {
  Conditions conditions;
  PipelineStats full;
  PipelineStats incremental;
  Comparison comparison;  // over every repeated pair: all differences counted
  std::vector<DayRow> days;
  PeerResults peers;
  std::optional<FleetResults> fleet;           // with --fleet
  std::optional<ContainerResults> containers;  // with --container
  std::optional<BuiltinBeside> builtin;        // with a job file

  std::optional<double> speedup() const;
  std::optional<double> speedup_in_process() const;
  std::optional<double> memory_reduction_pct() const;
  // full / incremental wall time of each repeated pair (run i of both), summarized.
  Summary pair_speedups() const;
  // True when the repeated pairs, every day-by-day pair, (with --fleet) every fleet client and
  // (with --container) every container's pairs matched exactly.
  bool exact() const;
  // Over every pair compared, each once (day K's row holds the repeated pairs themselves).
  uint64_t difference_count() const;
  size_t pairs_compared() const;
};

}  // namespace snapdelta::bench
