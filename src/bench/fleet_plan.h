// FleetPlan: what `snapdelta bench --fleet` measures and on which data, resolved from the bench's
// options before anything runs.
// The fleet is the seed's shape scaled down: `clients` clients whose day 1 holds base_rows rows
// and every later day rows_per_day more (base = 10 x a day, as the seed's 1M + 100K), day 10 the
// newest; generated into its own data dir (default data-fleet; --quick: <out>/data-fleet-quick,
// tiny) by `snapdelta generate ... --from-day 9`, which writes only the files of days 9 and 10
// (a cumulative drop covers every day before it). Shape "small" is a fleet of many small clients
// instead: kSmallFleetClients clients whose day 10 holds 2,400 rows, 200 of them new (default
// data dir data-fleet-small), where a client's fixed costs outweigh its rows. `generate` itself
// keeps the data dir's
// manifest: the same options reuse the drops, other options are refused (one line, exit 2).
// Contract: make_fleet_plan() checks the options and throws Error with one line; it creates
// nothing.
#pragma once

#include <string>
#include <vector>

namespace snapdelta::bench {

struct FleetOptions {
  bool enabled = false;
  int clients = 0;                // 0: kFleetClients (or kQuickFleetClients with --quick)
  int repeat = 0;                 // alternating samples per case; 0: the bench's --repeat
  std::string data_dir;           // "": data-fleet (or <out>/data-fleet-quick with --quick)
  std::string shape = "default";  // default | small
};

struct FleetPlan {
  bool enabled = false;
  std::string shape = "default";
  int clients = 0;
  int day = 10;  // the newest day; the incremental sync starts from day - 1
  long long base_rows = 0, rows_per_day = 0, skus = 0;
  int repeat = 0;
  int jobs = 1;  // --jobs of the parallel cases: the usable cores
  std::string data_dir;
  std::vector<std::string> generate_args;  // without binary; run every time (a no-op when present)
  std::vector<std::string> client_names;   // client_1..client_<clients>, passed as --client
};

inline constexpr int kFleetClients = 50;
inline constexpr long long kFleetBaseRows = 200000;
inline constexpr long long kFleetRowsPerDay = 20000;
inline constexpr long long kFleetSkus = 1000;
inline constexpr int kQuickFleetClients = 3;
inline constexpr int kSmallFleetClients = 2000;
inline constexpr long long kSmallFleetBaseRows = 600;
inline constexpr long long kSmallFleetRowsPerDay = 200;
inline constexpr long long kSmallFleetSkus = 200;

// `quick`: tiny rows; `out`: the bench's --out; `bench_repeat`: the bench's resolved repeat.
FleetPlan make_fleet_plan(const FleetOptions& options, bool quick, const std::string& out,
                          int bench_repeat, int usable_cores);

}  // namespace snapdelta::bench
