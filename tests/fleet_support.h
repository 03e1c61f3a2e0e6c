// A fleet of clients for the `snapdelta sync` tests (defined in fleet_support.cpp).
// Contract:
// - Fleet makes a data dir of clients with random sizes, day counts and late-row shares: each
//   client is generated alone (generate::run, one client, its own options) and moved in as
//   client_<i>. Its drops can then be broken (a bad value in the newest rows, or a flipped
//   compressed byte; the original kept for repair()) or restated (an early line changed in every
//   drop from a day on), as a real data provider might.
// - ReferenceRows gives a client's rows at a day as the plain recomputation of that drop
//   (test_support's reference_of_zip: minizip and a hand-written CSV split, no snapdelta code),
//   so the sync tests judge the binary by an oracle independent of it (cached; forget() after a
//   drop changed).
// - run_sync runs the binary's `sync` with --json and splits its output into the per-client
//   objects and the summary; the child harness (child_harness.h) is used for the process.
// - run_counts reads snapdelta_runs as (client, day) -> rows, from a StoreKind or an SQLite file.
// Nothing here asserts: the tests decide what a result must be.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "store_kind.h"
#include "test_support.h"

namespace snapdelta::test {

struct FleetShape {
  int clients = 3;
  int min_days = 4, max_days = 7;
  int min_base = 2000, max_base = 12000;
  int min_per_day = 300, max_per_day = 2000;
  int min_skus = 100, max_skus = 400;
  double max_late = 0.3;  // each client's late fraction is drawn from [0, max_late]
};

enum class Breakage { bad_value, flipped_byte };

class Fleet {
 public:
  Fleet(const fs::path& root, const FleetShape& shape, std::mt19937_64& rng);

  const std::string& data_dir() const { return data_dir_; }
  const std::vector<std::string>& clients() const { return clients_; }
  int days(const std::string& client) const { return days_.at(client); }
  int max_days() const;
  std::string drop(const std::string& client, int day) const;

  // Rewrites the client's drops of `from_day` on with quantity_sold of line `line` (1-based,
  // the header is line 1) raised by 7: a restated history from that day.
  void restate(const std::string& client, int from_day, size_t line);
  // Breaks the client's drop of `day`; the original bytes are kept for repair().
  void break_drop(const std::string& client, int day, Breakage how);
  void repair();

 private:
  void generate_client(const fs::path& root, int index, const FleetShape& shape,
                       std::mt19937_64& rng);

  std::string data_dir_;
  std::vector<std::string> clients_;
  std::map<std::string, int> days_;
  std::vector<std::pair<std::string, std::string>> broken_;  // path, original bytes
};

class ReferenceRows {
 public:
  explicit ReferenceRows(std::string data_dir);
  // Day 0: no rows (no state yet).
  const std::vector<RefRow>& rows(const std::string& client, int day);
  void forget(const std::string& client);

 private:
  std::string data_dir_;
  std::map<std::pair<std::string, int>, std::vector<RefRow>> cache_;
};

struct SyncResult {
  int exit_code = -1;
  int signal = 0;
  std::string out, err;
  std::map<std::string, nlohmann::ordered_json> clients;  // by client name
  std::vector<std::string> order;                         // client names as printed
  nlohmann::ordered_json summary;                         // the "summary" object, null when missing
  std::string parse_error;  // non-empty when stdout was not the contract
};

// Splits --json output into the per-client objects and the summary.
SyncResult parse_sync_output(int exit_code, int signal, std::string out, std::string err);

// `snapdelta sync --json --data-dir D --db DB <extra...>` through the binary.
SyncResult run_sync(const std::string& data_dir, const std::string& db,
                    const std::vector<std::string>& extra, const fs::path& scratch);

std::vector<std::string> sync_args(const std::string& data_dir, const std::string& db,
                                   const std::vector<std::string>& extra);

using RunCounts = std::map<std::pair<std::string, int>, int>;
RunCounts run_counts(const StoreKind& store);
RunCounts run_counts_sqlite(const std::string& db_path);

// "client_3 day 2 x2, ..." for the (client, day) pairs logged more than once; "" when none.
std::string duplicates(const RunCounts& counts);

}  // namespace snapdelta::test
