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

double BenchResults::speedup() const {
  return incremental.wall_ms.median > 0 ? full.wall_ms.median / incremental.wall_ms.median : 0;
}

double BenchResults::speedup_in_process() const {
  return incremental.total_ms.median > 0 ? full.total_ms.median / incremental.total_ms.median : 0;
}

double BenchResults::memory_reduction_pct() const {
  return full.peak_rss_kb.median > 0 ? (full.peak_rss_kb.median - incremental.peak_rss_kb.median) /
                                           full.peak_rss_kb.median * 100.0
                                     : 0;
}

bool BenchResults::exact() const {
  if (!comparison.exact()) return false;
  return std::all_of(days.begin(), days.end(),
                     [](const DayRow& d) { return d.comparison.exact(); });
}

}  // namespace snapdelta::bench
