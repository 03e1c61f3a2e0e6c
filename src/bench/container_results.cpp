#include "bench/container_results.h"

#include <fmt/format.h>

#include <algorithm>

namespace snapdelta::bench {
namespace {

Summary summarize_by(const std::vector<RunSample>& samples, double (*get)(const RunSample&)) {
  std::vector<double> v;
  for (const auto& s : samples) v.push_back(get(s));
  return summarize(std::move(v));
}

// a / b of two containers' incremental wall medians; nullopt when either is missing or b is 0.
std::optional<double> incremental_ratio(const ContainerRow* a, const ContainerRow* b) {
  if (!a || !b || b->incremental.wall_ms.median <= 0) return std::nullopt;
  return a->incremental.wall_ms.median / b->incremental.wall_ms.median;
}

}  // namespace

Runs Runs::from(std::vector<RunSample> samples) {
  Runs r;
  r.wall_ms = summarize_by(samples, [](const RunSample& s) { return s.wall_ms; });
  r.cpu_ms = summarize_by(samples, [](const RunSample& s) { return s.cpu_ms; });
  r.peak_rss_kb =
      summarize_by(samples, [](const RunSample& s) { return static_cast<double>(s.peak_rss_kb); });
  for (const auto& s : samples) {
    if (std::find(r.paths.begin(), r.paths.end(), s.path) == r.paths.end())
      r.paths.push_back(s.path);
  }
  r.samples = std::move(samples);
  return r;
}

std::optional<double> ContainerRow::speedup() const {
  if (incremental.wall_ms.n == 0 || incremental.wall_ms.median <= 0) return std::nullopt;
  return full.wall_ms.median / incremental.wall_ms.median;
}

std::string ContainerRow::route() const {
  std::string out;
  for (const auto& p : incremental.paths) out += (out.empty() ? "" : ", ") + p;
  return out.empty() ? "n/a" : out;
}

const ContainerRow* ContainerResults::find(const std::string& container) const {
  for (const auto& r : rows) {
    if (r.container == container) return &r;
  }
  return nullptr;
}

bool ContainerResults::exact() const {
  return !rows.empty() &&
         std::all_of(rows.begin(), rows.end(), [](const auto& r) { return r.comparison.exact(); });
}

std::vector<FleetTarget> ContainerResults::targets() const {
  const ContainerRow* zip = find("zip");
  const std::string basis = "incremental wall medians, {} / zip";
  std::vector<FleetTarget> t;
  t.push_back({"gzip (rewritten) incremental vs ZIP's", "≤ 1.10× (within 10%)",
               fmt::format(fmt::runtime(basis), "gzip"), incremental_ratio(find("gzip"), zip), "×",
               1.10, false});
  for (const char* c : {"gzip-append", "zstd-append"}) {
    t.push_back({fmt::format("{} incremental vs ZIP's", c), "≤ 1.00× (no slower)",
                 fmt::format(fmt::runtime(basis), c), incremental_ratio(find(c), zip), "×", 1.0,
                 false});
  }
  t.push_back({"plain CSV incremental vs ZIP's", "≥ 1.25× faster",
               "incremental wall medians, zip / csv", incremental_ratio(zip, find("csv")), "×",
               1.25, true});
  for (const auto& r : rows) {
    t.push_back({fmt::format("{} incremental vs its full", r.container), "≥ 3× faster",
                 "full / incremental wall medians", r.speedup(), "×", 3.0, true});
  }
  return t;
}

std::vector<std::string> ContainerResults::missed() const {
  std::vector<std::string> out;
  for (const auto& t : targets()) {
    if (t.met() == false) out.push_back(t.name);
  }
  return out;
}

}  // namespace snapdelta::bench
