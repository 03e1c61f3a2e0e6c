// RunReport: what one pipeline run did, for the summary line, --json, the run log and the
// benchmark. The driver (run_driver.h) assembles it once from the plan's result.
// Contract: to_json() emits the keys mode, client, day, file, rows_in_file, rows_processed,
// groups_written, bytes_inflated, total_ms, path, rebuilt (null or text) and phases_ms (ordered
// phase -> ms), and `date` (YYYY-MM-DD) after `day` when the drops are keyed by date (`day` is
// then days since 1970-01-01). `path` is the route the run took (route.h).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "common/stopwatch.h"
#include "pipeline/phase.h"
#include "pipeline/route.h"
#include "pipeline/run_options.h"
#include "store/run_log.h"

namespace snapdelta {

struct RunReport {
  RunMode mode = RunMode::incremental;
  std::string client;
  int day = 0;
  std::string date;  // the day as a date, for drops keyed by {date:...}; "" otherwise
  std::string file;
  uint64_t rows_in_file = 0;
  uint64_t rows_processed = 0;
  uint64_t groups_written = 0;
  uint64_t bytes_inflated = 0;
  double total_ms = 0;
  Route path = Route::full;
  std::string rebuilt;  // empty unless history changed
  std::string note;     // human words for the summary line
  Phases phases;

  // Sets total_ms (and the "total" phase) to the time since `t0`.
  void finish(Clock::time_point t0);
  // The run-log row for this run, as it stands when `elapsed_ms` have passed since it began.
  RunLogEntry log_entry(double elapsed_ms) const;
  nlohmann::ordered_json to_json() const;
  std::string summary_line() const;
};

// The "phases_ms" object of a report.
nlohmann::ordered_json phases_json(const Phases& phases);

}  // namespace snapdelta
