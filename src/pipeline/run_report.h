// RunReport: what one pipeline run did, for the summary line, --json and the benchmark.
// Contract: to_json() emits the keys mode, client, day, file, rows_in_file, rows_processed,
// groups_written, bytes_inflated, total_ms, path, rebuilt (null or text) and phases_ms (ordered
// phase -> ms). `path` is the route the run took (Route, spelled as to_string() gives it).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/stopwatch.h"
#include "pipeline/run_options.h"
#include "store/run_log.h"

namespace snapdelta {

// How a run reached its result: a full plan; an incremental run with no state yet; resumed from a
// proven checkpoint; inflated from the start with the consumed bytes checked; nothing to do; or
// history changed and the client was rebuilt.
enum class Route { full, first_run, checkpoint, inflate_all, noop, rebuilt };

std::string_view to_string(Route route);

struct RunReport {
  RunMode mode = RunMode::incremental;
  std::string client;
  int day = 0;
  std::string file;
  uint64_t rows_in_file = 0;
  uint64_t rows_processed = 0;
  uint64_t groups_written = 0;
  uint64_t bytes_inflated = 0;
  double total_ms = 0;
  Route path = Route::full;
  std::string rebuilt;  // empty unless history changed
  std::string note;     // human words for the summary line
  std::vector<std::pair<std::string, double>> phases_ms;

  // A report naming the run's mode, client and day, and the drop file `file`.
  static RunReport begin(const RunOptions& options, std::string file);
  // begin() with the drop the data dir holds for the client and day (an Error naming what is
  // missing otherwise).
  static RunReport for_run(const RunOptions& options);
  void add_phase(const std::string& name, double ms);
  // Sets total_ms (and the "total" phase) to the time since `t0`.
  void finish(Clock::time_point t0);
  // The run-log row for this run, as it stands when `elapsed_ms` have passed since it began.
  RunLogEntry log_entry(double elapsed_ms) const;
  nlohmann::ordered_json to_json() const;
  std::string summary_line() const;
};

}  // namespace snapdelta
