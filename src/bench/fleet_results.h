// FleetResults: what `snapdelta bench --fleet` measured, as plain data, and the targets judged
// from it; the writers (fleet_report, fleet_chart) only format it.
// Terms: a *case* is one `snapdelta sync` command over the whole fleet — mode full (day 10 into a
// fresh database), incremental (day 10 on a fresh copy of the day-9 database) or noop (every
// client already at day 10) — at `--jobs 1 --threads 1` (sequential) or `--jobs <cores>`; each
// sample is one whole child process (wall time from fork to exit, parent's clock; peak RSS and
// CPU from wait4). Process start is measured beside them: `snapdelta --version` and a sync of an
// empty fleet (no clients).
// Contract: FleetCase::from() summarizes samples; rates (clients/s, rows/s) are computed from the
// wall median. targets() derives every target from medians of this same run; a ratio whose
// denominator is missing or zero is nullopt (reported as n/a), never 0. PostgreSQL figures are
// present only when the bench was given a server.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bench/stats.h"

namespace snapdelta::bench {

struct FleetSample {
  double wall_ms = 0;
  double cpu_ms = 0;
  long peak_rss_kb = 0;
  uint64_t clients = 0, applied = 0, noop = 0;
  uint64_t rows_processed = 0, groups_written = 0;
  // Per-client phases the children reported, summed over the clients (empty when none did).
  std::vector<std::pair<std::string, double>> phases_ms;
};

struct FleetCase {
  std::string mode;  // full | incremental | noop | start (process start only)
  std::string label;
  int jobs = 1;
  int threads = 1;  // per job; 0: the cores shared out among the jobs
  std::vector<FleetSample> samples;
  Summary wall_ms, cpu_ms, peak_rss_kb;

  void summarize_samples();
  uint64_t rows_processed() const { return samples.empty() ? 0 : samples.back().rows_processed; }
  uint64_t clients() const { return samples.empty() ? 0 : samples.back().clients; }
  std::optional<double> clients_per_s() const;
  std::optional<double> rows_per_s() const;
};

struct FleetExactness {
  size_t results_compared = 0;  // sync results judged, each against the full sync of its sample
  size_t clients_compared = 0;  // client comparisons over all of them
  size_t clients_exact = 0;
  uint64_t groups = 0;  // every client's groups after day 10, in the full result
  uint64_t difference_count = 0;
  std::vector<std::string> differences;  // the first few, "<case> <client>: ..."
  bool exact() const { return clients_compared > 0 && clients_exact == clients_compared; }
};

struct FleetTarget {
  std::string name;
  std::string goal;  // "≥ 10×", "≤ 1 ms", ...
  std::string basis;
  std::optional<double> measured;
  std::string unit;  // "×", "ms", "MiB"
  double threshold = 0;
  bool at_least = true;  // measured >= threshold meets it (else <=)
  std::optional<bool> met() const;
};

struct PgWorkersCase {
  int workers = 1;
  std::vector<FleetSample> samples;  // one per sample: the workers' sums, wall = all of them
  Summary wall_ms;                   // from the first fork to the last worker's exit
  FleetExactness exactness;
  std::optional<double> clients_per_s() const;
  std::optional<double> rows_per_s() const;
};

struct PgFleet {
  bool requested = false;
  std::string server;  // redacted
  std::string mode;    // the mode the workers ran
  std::vector<PgWorkersCase> cases;
  // Where a client's time goes against the server: each phase's spread over clients (ms per
  // client), and where those figures come from (the workers' `sync --json` lines, or `run --json`
  // children of a few clients when sync does not report phases).
  std::vector<std::pair<std::string, Summary>> phases_ms;
  std::string phases_source;
};

struct FleetResults {
  std::string shape = "default";  // FleetPlan's
  int clients = 0, day = 10, repeat = 0, jobs = 1;
  long long base_rows = 0, rows_per_day = 0, skus = 0;
  std::string data_dir;
  uint64_t rows_in_day_file = 0;  // all clients' day-10 rows
  uint64_t new_rows = 0;          // all clients' rows added on day 10
  double prepare_ms = 0;          // the day-9 database, made once (not a sample)
  std::vector<FleetCase> cases;   // start cases first, then mode x jobs
  FleetExactness exactness;
  PgFleet pg;

  const FleetCase* find(const std::string& mode, int jobs) const;
  // Every comparison of the SQLite cases and of the PostgreSQL workers found no difference.
  bool exact() const;
  std::vector<FleetTarget> targets() const;
  // Median wall ms per client of a no-op sync beyond `snapdelta --version`, at `jobs`.
  std::optional<double> noop_ms_per_client(int jobs) const;
};

}  // namespace snapdelta::bench
