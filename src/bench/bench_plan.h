// BenchPlan: what `snapdelta bench` is going to do, resolved from its options before any child
// runs: which binary, which data files, how many repeats, whether tiny data must be generated
// first (--quick), where peers live and where the reports go.
// --quick results go to their own directory: ./results-quick unless --out names one, and never
// over a full benchmark's report (a results.json there that is not a quick one is an error).
// Contract: make_plan() checks every option and the presence of the data files of days 1..K, and
// throws Error with one line when something is wrong (for instance: run `snapdelta generate`).
// It creates nothing; BenchRunner does the work.
// The job: --job FILE, else snapdelta.toml in the working directory, else the built-in job (as
// every command chooses it); a job file is read here (its one-line errors) and handed to every
// child with --job (and --pattern, which overrides the job's pattern here and in every child, as
// job/pattern_override.h says). Its pattern names the drops: for {day}, day d is the drop of key d
// (days 1..K all present); for {date:...}, day d is the client's d-th drop in date order, and a
// child is given that drop's date. Peers, --fleet and --container run the built-in job over
// generated drops, so they refuse a job file and --pattern.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bench/container_plan.h"
#include "bench/fleet_plan.h"
#include "job/job.h"

namespace snapdelta::bench {

struct BenchOptions {
  std::string data_dir = "data";
  bool data_dir_given = false;
  std::string client = "client_1";
  int day = 10;
  int repeat = 5;
  bool repeat_given = false;
  std::string out = ".";
  bool out_given = false;
  bool peers = false;
  std::string peers_dir;  // "" = look for peers/ (see find_peers_dir)
  bool quick = false;
  std::string db_cache;    // "" = no cache between bench runs
  std::string executable;  // "" = this process's own binary
  // "" = SQLite files in the scratch folder; a postgresql:// URI = databases of their own on that
  // server, for the single-client children and the fleet's PostgreSQL workers.
  std::string db;
  FleetOptions fleet;
  // --container: a comma list of containers or "all"; "" = none (see container_plan.h).
  std::string containers;
  std::optional<std::string> job_flag;  // --job FILE
  std::string pattern;                  // --pattern P: "" the job's
};

struct BenchPlan {
  BenchOptions options;
  std::string executable;
  std::string data_dir;
  std::string out;                     // where the reports and the scratch directory go
  std::vector<std::string> day_files;  // day_files[d-1] is day d's zip
  int repeat = 0;
  // Non-empty when --quick must first generate tiny data: the `generate` argv (without binary).
  std::vector<std::string> generate_args;
  std::string peers_dir;                // "" when peers were not requested or not found
  FleetPlan fleet;                      // enabled with --fleet
  ContainerPlan containers;             // enabled with --container
  std::optional<std::string> job_file;  // nullopt: the built-in job
  Job job;
  std::vector<std::string> day_args;  // day_args[d-1]: what a child gets as --day for day d

  const std::string& file(int day) const { return day_files.at(static_cast<size_t>(day) - 1); }
  const std::string& day_arg(int day) const { return day_args.at(static_cast<size_t>(day) - 1); }
  // {"--job", FILE} for a job file, then {"--pattern", P} when given; else nothing.
  std::vector<std::string> job_args() const;
  int day() const { return options.day; }
  const std::string& client() const { return options.client; }
};

// data_dir/client/transactions_day_<day>.zip
std::string day_file(const std::string& data_dir, const std::string& client, int day);

BenchPlan make_plan(const BenchOptions& options);

// Quick data: small enough for tests and smoke runs, big enough to span several deflate blocks.
inline constexpr int kQuickBaseRows = 5000;
inline constexpr int kQuickRowsPerDay = 500;
inline constexpr int kQuickSkus = 200;
// Where --quick writes when --out is not given.
inline constexpr const char* kQuickOut = "results-quick";

}  // namespace snapdelta::bench
