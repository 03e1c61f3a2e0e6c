#include "bench/json_report.h"

#include <cmath>
#include <fstream>

#include "common/error.h"

namespace snapdelta::bench {
namespace {

using Json = nlohmann::ordered_json;

// Rounds to 3 decimals so the file stays readable; ms to the microsecond is plenty.
double r3(double v) { return std::round(v * 1000.0) / 1000.0; }

Json summary_json(const Summary& s) {
  return {{"median", r3(s.median)}, {"min", r3(s.min)}, {"max", r3(s.max)}, {"n", s.n}};
}

Json pipeline_json(const PipelineStats& p) {
  Json phases = Json::object(), phase_stats = Json::object();
  for (const auto& [name, s] : p.phases_ms) {
    phases[name] = r3(s.median);
    phase_stats[name] = summary_json(s);
  }
  Json runs = Json::array();
  for (const auto& r : p.runs) runs.push_back(to_json(r));
  const RunSample& last = p.last();
  return {{"total_ms", r3(p.wall_ms.median)},
          {"total_ms_basis", "whole-process wall time measured by the parent (median)"},
          {"in_process_total_ms", r3(p.total_ms.median)},
          {"cpu_ms", r3(p.cpu_ms.median)},
          {"peak_rss_kb", static_cast<long>(p.peak_rss_kb.median)},
          {"phases_ms", phases},
          {"rows_in_file", last.rows_in_file},
          {"rows_processed", last.rows_processed},
          {"groups_written", last.groups_written},
          {"paths", p.paths},
          {"stats",
           {{"wall_ms", summary_json(p.wall_ms)},
            {"in_process_total_ms", summary_json(p.total_ms)},
            {"cpu_ms", summary_json(p.cpu_ms)},
            {"peak_rss_kb", summary_json(p.peak_rss_kb)},
            {"phases_ms", phase_stats}}},
          {"runs", runs}};
}

Json conditions_json(const Conditions& c) {
  Json j = {{"client", c.client},
            {"day", c.day},
            {"data_dir", c.data_dir},
            {"file", c.file},
            {"file_bytes", c.file_bytes},
            {"rows_in_file", c.rows_in_file},
            {"new_rows", c.new_rows},
            {"groups", c.groups},
            {"total_quantity", c.total_quantity},
            {"repeat", c.repeat},
            {"day_runs", c.day_runs},
            {"quick", c.quick},
            {"state_from_cache", c.cached_state},
            {"process_floor_rss_kb", c.process_floor_rss_kb}};
  const Json system = to_json(c.system);  // named: items() of a temporary would dangle
  for (const auto& [key, value] : system.items()) j[key] = value;
  j["cores"] = c.system.logical_cores;
  return j;
}

Json days_json(const std::vector<DayRow>& days) {
  Json out = Json::array();
  for (const auto& d : days) {
    out.push_back(
        {{"day", d.day},
         {"rows_in_file", d.full.rows_in_file},
         {"new_rows", d.incremental.rows_processed},
         {"groups", d.comparison.expected_groups},
         {"full_ms", r3(d.full.wall_ms)},
         {"incremental_ms", r3(d.incremental.wall_ms)},
         {"full_in_process_ms", r3(d.full.total_ms)},
         {"incremental_in_process_ms", r3(d.incremental.total_ms)},
         {"full_peak_rss_kb", d.full.peak_rss_kb},
         {"incremental_peak_rss_kb", d.incremental.peak_rss_kb},
         {"incremental_path", d.incremental.path},
         {"speedup", d.incremental.wall_ms > 0 ? r3(d.full.wall_ms / d.incremental.wall_ms) : 0},
         {"exact", d.comparison.exact()}});
  }
  return out;
}

Json peers_json(const BenchResults& r) {
  const PeerResults& p = r.peers;
  Json results = Json::array();
  for (const auto& row : p.rows) {
    const bool work = row.mode != "startup";
    const PipelineStats& same = row.mode == "full" ? r.full : r.incremental;
    auto ratio = [&](double ours) {
      return work && ours > 0 ? Json(r3(row.wall_ms.median / ours)) : Json(nullptr);
    };
    Json j = {{"engine", row.engine},
              {"version", row.version},
              {"mode", row.mode},
              {"median_ms", r3(row.wall_ms.median)},
              {"min_ms", r3(row.wall_ms.min)},
              {"max_ms", r3(row.wall_ms.max)},
              {"in_process_ms", r3(row.in_process_ms.median)},
              {"cpu_ms", r3(row.cpu_ms.median)},
              {"peak_rss_kb", static_cast<long>(row.peak_rss_kb.median)},
              {"rows_read", row.rows_read},
              {"rows_used", row.rows_used},
              {"groups", row.groups},
              {"total_quantity", row.total_quantity},
              {"ratio_vs_snapdelta_full", ratio(r.full.wall_ms.median)},
              {"ratio_vs_snapdelta_same_mode", ratio(same.wall_ms.median)}};
    j["matches_snapdelta"] = row.matches_snapdelta ? Json(*row.matches_snapdelta) : Json(nullptr);
    results.push_back(std::move(j));
  }
  return {{"ran", p.ran},
          {"skipped", p.skipped.empty() ? Json(nullptr) : Json(p.skipped)},
          {"after_date", p.after_date},
          {"node_version", p.node_version},
          {"ratio_basis", "peer median wall ms / snapdelta median wall ms; > 1 means slower"},
          {"results", results},
          {"mismatches", p.mismatches}};
}

}  // namespace

nlohmann::ordered_json to_json(const BenchResults& r) {
  Json j;
  j["schema"] = "snapdelta-bench/1";
  j["speedup"] = std::round(r.speedup() * 100.0) / 100.0;
  j["speedup_basis"] = "full.total_ms / incremental.total_ms, whole-process wall medians";
  j["speedup_in_process"] = std::round(r.speedup_in_process() * 100.0) / 100.0;
  j["memory_reduction_pct"] = std::round(r.memory_reduction_pct() * 10.0) / 10.0;
  j["exact"] = r.exact();
  Json differences = r.comparison.differences;
  for (const auto& d : r.days) {
    for (const auto& text : d.comparison.differences) {
      if (differences.size() < 10)
        differences.push_back("day " + std::to_string(d.day) + ": " + text);
    }
  }
  uint64_t count = r.comparison.difference_count;
  for (const auto& d : r.days) count += d.comparison.difference_count;
  j["exactness"] = {{"groups", r.comparison.expected_groups},
                    {"difference_count", count},
                    {"differences", differences},
                    {"pairs_compared", r.full.runs.size() + r.days.size()}};
  j["conditions"] = conditions_json(r.conditions);
  j["full"] = pipeline_json(r.full);
  j["incremental"] = pipeline_json(r.incremental);
  j["days"] = days_json(r.days);
  if (r.peers.requested) j["peers"] = peers_json(r);
  return j;
}

void write_json_report(const BenchResults& results, const std::string& path) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) fail(path, "expected a writable file, found it cannot be opened");
  out << to_json(results).dump(2) << '\n';
  if (!out) fail(path, "expected to write the JSON report, found a write error");
}

}  // namespace snapdelta::bench
