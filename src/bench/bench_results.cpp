#include "bench/bench_results.h"

#include <algorithm>

namespace snapdelta::bench {

PipelineStats PipelineStats::from(std::vector<RunSample> runs) {
  PipelineStats s;
  std::vector<double> wall, total, cpu, rss;
  std::vector<std::pair<std::string, std::vector<double>>> phases;
  for (const auto& r : runs) {
    wall.push_back(r.wall_ms);
    total.push_back(r.total_ms);
    cpu.push_back(r.cpu_ms);
    rss.push_back(static_cast<double>(r.peak_rss_kb));
    for (const auto& [name, ms] : r.phases_ms) {
      auto it = std::find_if(phases.begin(), phases.end(),
                             [&n = name](const auto& p) { return p.first == n; });
      if (it == phases.end()) {
        phases.emplace_back(name, std::vector<double>{});
        it = phases.end() - 1;
      }
      it->second.push_back(ms);
    }
    if (std::find(s.paths.begin(), s.paths.end(), r.path) == s.paths.end())
      s.paths.push_back(r.path);
  }
  s.wall_ms = summarize(wall);
  s.total_ms = summarize(total);
  s.cpu_ms = summarize(cpu);
  s.peak_rss_kb = summarize(rss);
  for (auto& [name, values] : phases) s.phases_ms.emplace_back(name, summarize(std::move(values)));
  s.runs = std::move(runs);
  return s;
}

const Summary* PipelineStats::phase(const std::string& name) const {
  for (const auto& [key, summary] : phases_ms) {
    if (key == name) return &summary;
  }
  return nullptr;
}

std::optional<double> BenchResults::speedup() const {
  if (!(incremental.wall_ms.median > 0)) return std::nullopt;
  return full.wall_ms.median / incremental.wall_ms.median;
}

std::optional<double> BenchResults::speedup_in_process() const {
  if (!(incremental.total_ms.median > 0)) return std::nullopt;
  return full.total_ms.median / incremental.total_ms.median;
}

std::optional<double> BenchResults::memory_reduction_pct() const {
  if (!(full.peak_rss_kb.median > 0)) return std::nullopt;
  return (full.peak_rss_kb.median - incremental.peak_rss_kb.median) / full.peak_rss_kb.median *
         100.0;
}

Summary BenchResults::pair_speedups() const {
  std::vector<double> ratios;
  for (size_t i = 0; i < full.runs.size() && i < incremental.runs.size(); ++i) {
    if (incremental.runs[i].wall_ms > 0)
      ratios.push_back(full.runs[i].wall_ms / incremental.runs[i].wall_ms);
  }
  return summarize(std::move(ratios));
}

bool BenchResults::exact() const {
  if (!comparison.exact()) return false;
  if (fleet && !fleet->exact()) return false;
  if (containers && !containers->exact()) return false;
  return std::all_of(days.begin(), days.end(),
                     [](const DayRow& d) { return d.comparison.exact(); });
}

uint64_t BenchResults::difference_count() const {
  uint64_t count = comparison.difference_count;
  for (const auto& d : days) {
    if (!d.repeated) count += d.comparison.difference_count;
  }
  return count;
}

size_t BenchResults::pairs_compared() const {
  size_t pairs = full.runs.size();
  for (const auto& d : days) {
    if (!d.repeated) pairs += d.full.runs.size();
  }
  return pairs;
}

}  // namespace snapdelta::bench
