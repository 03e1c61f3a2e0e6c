// Peers: the same job done by other engines — Polars (nodejs-polars) and DuckDB (@duckdb/node-api)
// — through the node scripts in peers/, each run as a child process measured exactly like
// snapdelta's own runs (parent's wall clock, wait4 peak RSS and CPU time).
// Jobs: full = unzip + read the CSV + group by (sku_id, transaction_date) summing quantity and
// revenue and counting rows; incremental = the seed's method: the same, keeping only rows with
// transaction_date > the last processed date; startup = node + loading the engine, no work (the
// floor under the other two). Nothing is written to a database.
// Contract: prepare() returns "" when node can run the peer scripts — running `npm ci` once when
// peers/node_modules is missing — or ONE line saying why peers are skipped (no node/npm, no peers
// directory, install failed: e.g. offline); it never throws for those. run() throws Error when a
// prepared script fails or prints something other than its one JSON object.
#pragma once

#include <string>
#include <vector>

#include "bench/bench_results.h"

namespace snapdelta::bench {

class PeerHarness {
 public:
  explicit PeerHarness(std::string peers_dir);

  std::string prepare();
  PeerRun run(const std::string& engine, const std::string& mode, const std::string& zip,
              const std::string& after_date, const std::string& scratch) const;

  const std::string& node_version() const { return node_version_; }
  static const std::vector<std::string>& engines();
  static const std::vector<std::string>& modes();  // full, incremental, startup

 private:
  std::string dir_;
  std::string node_;
  std::string node_version_;
};

// The peers/ directory: `explicit_dir` if given, else ./peers, else next to or above the
// executable's directory (a build directory inside the source tree). "" when none has package.json.
std::string find_peers_dir(const std::string& explicit_dir, const std::string& executable);

}  // namespace snapdelta::bench
