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

std::vector<std::string> files_for(const std::string& data_dir, const std::string& client,
                                   int days) {
  std::vector<std::string> files;
  for (int d = 1; d <= days; ++d) files.push_back(day_file(data_dir, client, d));
  return files;
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
  plan.day_files = files_for(plan.data_dir, options.client, options.day);

  if (options.quick) {
    refuse_full_report(plan.out);
    // Quick means small data: its own directory unless one is named; generated when missing.
    if (!options.data_dir_given) plan.data_dir = (fs::path(plan.out) / "data-quick").string();
    plan.day_files = files_for(plan.data_dir, options.client, options.day);
    if (!all_present(plan.day_files))
      plan.generate_args = quick_generate_args(plan.data_dir, options);
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
