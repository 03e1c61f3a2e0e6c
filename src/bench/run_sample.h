// RunSample: one measured `snapdelta run ... --json` child: what the pipeline reported about itself
// (rows, groups, path, in-process phase times) joined with what the parent measured (whole-process
// wall time, CPU time, peak RSS).
// Contract: parse_run_sample() accepts the child only when it exited 0 and printed exactly one JSON
// object with the documented keys; otherwise it throws Error naming the command and the child's own
// one-line error. Unknown extra keys are ignored; missing phases are simply absent.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "bench/child_runner.h"

namespace snapdelta::bench {

struct RunSample {
  // Reported by the child.
  std::string mode;
  std::string path;     // full | checkpoint | inflate-all | first-run | noop | rebuilt
  std::string rebuilt;  // "" or why the incremental plan fell back to a rebuild
  uint64_t rows_in_file = 0;
  uint64_t rows_processed = 0;
  uint64_t groups_written = 0;
  double total_ms = 0;                                    // in-process total
  std::vector<std::pair<std::string, double>> phases_ms;  // in the child's order
  // Measured by the parent.
  double wall_ms = 0;
  double cpu_ms = 0;
  long peak_rss_kb = 0;

  // The phase's time, or -1 when the child did not report it.
  double phase(const std::string& name) const;
};

RunSample parse_run_sample(const ChildResult& child, const std::vector<std::string>& argv);
nlohmann::ordered_json to_json(const RunSample& sample);

}  // namespace snapdelta::bench
