// RunLogEntry: one applied run, as the table snapdelta_runs keeps it. Contract: written in the same
// transaction as the run's rows and state (ClientWrite::log_run), one row per applied run; no-ops
// are not logged. `path` is the run's route (run_report.h), `finished_at` an ISO-8601 UTC time
// the store sets, `host` and `pid` the process that applied it.
#pragma once

#include <cstdint>
#include <string>

#include "store/run_mode.h"

namespace snapdelta {

struct RunLogEntry {
  std::string client;
  int day = 0;
  std::string file;
  RunMode mode = RunMode::incremental;
  std::string path;
  uint64_t rows_in_file = 0;
  uint64_t rows_processed = 0;
  uint64_t groups_written = 0;
  double total_ms = 0;
  std::string finished_at;  // set by the store when read back
  std::string host;
  int64_t pid = 0;
};

}  // namespace snapdelta
