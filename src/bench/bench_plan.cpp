#include "bench/bench_plan.h"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench/child_runner.h"
#include "bench/peers.h"
#include "common/error.h"
#include "common/thread_placement.h"
#include "job/builtin_job.h"
#include "job/job_file.h"
#include "job/job_lookup.h"
#include "job/pattern_override.h"
#include "source/drop_catalog.h"
#include "store/pg_uri.h"

namespace snapdelta::bench {
namespace fs = std::filesystem;
namespace {

bool all_present(const std::vector<std::string>& files) {
  std::error_code ec;
  for (const auto& f : files) {
    if (!fs::is_regular_file(f, ec)) return false;
  }
  return true;
}

// Day d's drop and what a child is told as --day: the drop of key d for a {day} pattern, the
// client's d-th drop in date order (given by its date) for a {date:...} one.
void find_days(BenchPlan& plan) {
  const DropPattern pattern = drops::pattern_or_default(plan.job.source.pattern);
  const std::string& client = plan.options.client;
  const int days = plan.options.day;
  plan.day_files.clear();
  plan.day_args.clear();
  if (!pattern.keyed_by_date()) {
    for (int d = 1; d <= days; ++d) {
      plan.day_files.push_back(drops::drop_path(plan.data_dir, client, d, pattern));
      plan.day_args.push_back(std::to_string(d));
    }
    return;
  }
  const std::vector<int> keys = drops::days(plan.data_dir, client, pattern);
  if (keys.size() < static_cast<size_t>(days)) {
    fail(drops::absolute_dir(plan.data_dir + "/" + client),
         fmt::format("expected at least {} drops matching {} (--day counts a date pattern's drops "
                     "in date order), found {}",
                     days, pattern.text(), keys.size()));
  }
  for (int d = 1; d <= days; ++d) {
    const int key = keys[static_cast<size_t>(d) - 1];
    plan.day_files.push_back(drops::drop_path(plan.data_dir, client, key, pattern));
    plan.day_args.push_back(pattern.key_text(key));
  }
}

// Peers, the fleet and the containers generate or read the seed's drops with the built-in job.
// `given`: "the job file F" or "--pattern P", what makes the job another than the built-in one.
void refuse_job_with_seed_only(const BenchOptions& o, const std::string& given) {
  const auto refuse = [&](const char* option, const char* what) {
    fail(option,
         fmt::format("expected the built-in job ({}), found {} (drop {} or {})", what, given,
                     option, given.starts_with("--") ? "--pattern" : "the job file"));
  };
  if (o.peers) refuse("--peers", "the peers compute the seed's processed_sales");
  if (o.fleet.enabled) refuse("--fleet", "the fleet syncs generated seed drops");
  if (!o.containers.empty()) refuse("--container", "the containers hold generated seed drops");
}

// client_<n> -> n, the --clients count `generate` needs to produce this client.
int client_number(const std::string& client) {
  constexpr std::string_view prefix = "client_";
  int n = 0;
  if (client.rfind(prefix, 0) == 0) {
    const char* begin = client.data() + prefix.size();
    const char* end = client.data() + client.size();
    auto [ptr, ec] = std::from_chars(begin, end, n);
    if (ec == std::errc() && ptr == end && n >= 1) return n;
  }
  fail("--client", "expected client_<n> for --quick data generation, found " + quote_found(client));
}

// Quick results never replace a full benchmark's: refuses an --out whose results.json is a report
// that does not say it was a quick one.
void refuse_full_report(const std::string& out) {
  const std::string json_path = (fs::path(out) / "results.json").string();
  std::ifstream in(json_path);
  if (!in) return;
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return;  // not a report of ours
  const auto conditions = j.find("conditions");
  if (conditions == j.end() || !conditions->is_object()) return;
  const auto quick = conditions->find("quick");
  if (quick != conditions->end() && quick->is_boolean() && quick->get<bool>()) return;
  fail(json_path,
       "expected no report or a --quick one in --out, found a full benchmark's report "
       "(pass another --out; without --out, --quick writes to " +
           std::string(kQuickOut) + ")");
}

// The `generate` argv (without binary) that writes --quick's tiny data into `data_dir`.
std::vector<std::string> quick_generate_args(const std::string& data_dir,
                                             const BenchOptions& options) {
  return {"generate",
          "--data-dir",
          data_dir,
          "--clients",
          std::to_string(client_number(options.client)),
          "--days",
          std::to_string(options.day),
          "--base-rows",
          std::to_string(kQuickBaseRows),
          "--rows-per-day",
          std::to_string(kQuickRowsPerDay),
          "--skus",
          std::to_string(kQuickSkus),
          "--seed",
          "7"};
}

}  // namespace

std::string day_file(const std::string& data_dir, const std::string& client, int day) {
  return fmt::format("{}/{}/transactions_day_{}.zip", data_dir, client, day);
}

std::vector<std::string> BenchPlan::job_args() const {
  std::vector<std::string> args;
  if (job_file) args = {"--job", *job_file};
  if (!options.pattern.empty()) args.insert(args.end(), {"--pattern", options.pattern});
  return args;
}

BenchPlan make_plan(const BenchOptions& options) {
  if (options.day < 1) fail("--day", fmt::format("expected a day >= 1, found {}", options.day));
  if (options.repeat < 1) {
    fail("--repeat", fmt::format("expected at least 1 repeat, found {}", options.repeat));
  }
  if (options.client.empty() || options.client.find('/') != std::string::npos) {
    fail("--client", "expected a client name, found " + quote_found(options.client));
  }
  BenchPlan plan;
  plan.options = options;
  plan.executable = options.executable.empty() ? self_executable() : options.executable;
  plan.repeat = options.quick && !options.repeat_given ? 1 : options.repeat;
  plan.data_dir = options.data_dir;
  plan.out = options.quick && !options.out_given ? kQuickOut : options.out;
  plan.job_file = choose_job_file(options.job_flag, fs::current_path());
  plan.job = plan.job_file ? load_job(*plan.job_file) : builtin_job();
  if (plan.job_file) refuse_job_with_seed_only(options, "the job file " + *plan.job_file);
  override_pattern(plan.job, options.pattern);
  if (!options.pattern.empty()) refuse_job_with_seed_only(options, "--pattern " + options.pattern);

  if (options.quick) {
    refuse_full_report(plan.out);
    // Quick means small data: its own directory unless one is named; generated when missing.
    if (!options.data_dir_given) plan.data_dir = (fs::path(plan.out) / "data-quick").string();
    find_days(plan);
    if (!all_present(plan.day_files))
      plan.generate_args = quick_generate_args(plan.data_dir, options);
  } else {
    find_days(plan);
  }
  if (plan.generate_args.empty()) {
    std::error_code ec;
    for (const auto& f : plan.day_files) {
      if (!fs::is_regular_file(f, ec)) {
        fail(f, "expected a data file, found none (run `snapdelta generate --data-dir " +
                    plan.data_dir + " --days " + std::to_string(options.day) +
                    "` first, or pass --quick)");
      }
    }
  }
  if (options.peers) plan.peers_dir = find_peers_dir(options.peers_dir, plan.executable);
  if (!options.db.empty() && !is_postgres_uri(options.db)) {
    fail("--db",
         "expected a postgresql:// URI (without it the bench uses SQLite files of its "
         "own), found " +
             quote_found(options.db));
  }
  plan.fleet =
      make_fleet_plan(options.fleet, options.quick, plan.out, plan.repeat, effective_threads(0));
  plan.containers = make_container_plan(options.containers, options.quick, options.day);
  return plan;
}

}  // namespace snapdelta::bench
