#include "bench/fleet_results.h"

#include <fmt/format.h>

#include <algorithm>

namespace snapdelta::bench {
namespace {

std::optional<double> ratio(const FleetCase* a, const FleetCase* b) {
  if (a == nullptr || b == nullptr || !(b->wall_ms.median > 0) || a->wall_ms.n == 0)
    return std::nullopt;
  return a->wall_ms.median / b->wall_ms.median;
}

std::optional<double> per_second(double count, const Summary& wall) {
  if (!(wall.median > 0) || wall.n == 0) return std::nullopt;
  return count / (wall.median / 1000.0);
}

}  // namespace

void FleetCase::summarize_samples() {
  std::vector<double> wall, cpu, rss;
  for (const auto& s : samples) {
    wall.push_back(s.wall_ms);
    cpu.push_back(s.cpu_ms);
    rss.push_back(static_cast<double>(s.peak_rss_kb));
  }
  wall_ms = summarize(wall);
  cpu_ms = summarize(cpu);
  peak_rss_kb = summarize(rss);
}

std::optional<double> FleetCase::clients_per_s() const {
  return per_second(static_cast<double>(clients()), wall_ms);
}
std::optional<double> FleetCase::rows_per_s() const {
  return per_second(static_cast<double>(rows_processed()), wall_ms);
}

std::optional<double> PgWorkersCase::clients_per_s() const {
  return samples.empty() ? std::nullopt
                         : per_second(static_cast<double>(samples.back().clients), wall_ms);
}
std::optional<double> PgWorkersCase::rows_per_s() const {
  return samples.empty() ? std::nullopt
                         : per_second(static_cast<double>(samples.back().rows_processed), wall_ms);
}

std::optional<bool> FleetTarget::met() const {
  if (!measured) return std::nullopt;
  return at_least ? *measured >= threshold : *measured <= threshold;
}

const FleetCase* FleetResults::find(const std::string& mode, int jobs_) const {
  for (const auto& c : cases) {
    if (c.mode == mode && c.jobs == jobs_) return &c;
  }
  return nullptr;
}

bool FleetResults::exact() const {
  if (!exactness.exact()) return false;
  return std::all_of(pg.cases.begin(), pg.cases.end(),
                     [](const PgWorkersCase& c) { return c.exactness.exact(); });
}

std::optional<double> FleetResults::noop_ms_per_client(int jobs_) const {
  const FleetCase* noop = find("noop", jobs_);
  const FleetCase* start = nullptr;
  for (const auto& c : cases) {
    if (c.mode == "start" && c.label.find("--version") != std::string::npos) start = &c;
  }
  if (noop == nullptr || start == nullptr || noop->wall_ms.n == 0 || start->wall_ms.n == 0 ||
      clients <= 0)
    return std::nullopt;
  return (noop->wall_ms.median - start->wall_ms.median) / clients;
}

std::vector<FleetTarget> FleetResults::targets() const {
  std::vector<FleetTarget> t;
  const std::string n = std::to_string(jobs);
  // Small clients are mostly fixed costs: their target is lower.
  const bool small = shape == "small";
  t.push_back({"incremental sync vs full sync, --jobs " + n + (small ? " (small clients)" : ""),
               small ? "≥ 3×" : "≥ 10×", "full / incremental wall medians",
               ratio(find("full", jobs), find("incremental", jobs)), "×", small ? 3.0 : 10.0,
               true});
  t.push_back({"full sync, --jobs " + n + " vs --jobs 1 --threads 1", "≥ 1.7×",
               "jobs-1 / jobs-" + n + " wall medians", ratio(find("full", 1), find("full", jobs)),
               "×", 1.7, true});
  t.push_back({"incremental sync, --jobs " + n + " vs --jobs 1 --threads 1", "≥ 1.5×",
               "jobs-1 / jobs-" + n + " wall medians",
               ratio(find("incremental", 1), find("incremental", jobs)), "×", 1.5, true});
  for (int j : {1, jobs}) {
    t.push_back({fmt::format("no-op sync per client beyond process start, --jobs {}", j), "≤ 1 ms",
                 "(no-op wall median − `--version` wall median) / clients", noop_ms_per_client(j),
                 "ms", 1.0, false});
    if (jobs == 1) break;
  }
  for (const auto& c : cases) {
    if (c.mode == "start" || c.peak_rss_kb.n == 0) continue;
    const double limit = 16.0 + 32.0 * c.jobs;
    t.push_back({"peak RSS, " + c.label, fmt::format("≤ {:.0f} MiB", limit),
                 "largest of the samples; 16 MiB + 32 MiB per job", c.peak_rss_kb.max / 1024.0,
                 "MiB", limit, false});
  }
  return t;
}

}  // namespace snapdelta::bench
