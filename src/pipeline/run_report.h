// RunReport: what one pipeline run did, for the summary line, --json and the benchmark.
// Contract: to_json() emits the keys mode, client, day, file, rows_in_file, rows_processed,
// groups_written, total_ms, path, rebuilt (null or text) and phases_ms (ordered phase -> ms).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace snapdelta {

struct RunReport {
  std::string mode;
  std::string client;
  int day = 0;
  std::string file;
  uint64_t rows_in_file = 0;
  uint64_t rows_processed = 0;
  uint64_t groups_written = 0;
  uint64_t bytes_inflated = 0;
  double total_ms = 0;
  std::string path;     // full | first-run | checkpoint | inflate-all | noop | rebuilt
  std::string rebuilt;  // empty unless history changed
  std::string note;     // human words for the summary line
  std::vector<std::pair<std::string, double>> phases_ms;

  void add_phase(const std::string& name, double ms);
  nlohmann::ordered_json to_json() const;
  std::string summary_line() const;
};

}  // namespace snapdelta
