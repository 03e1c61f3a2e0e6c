#include "bench/json_report.h"

#include <cmath>
#include <fstream>
#include <optional>

#include "bench/builtin_report.h"
#include "bench/container_report.h"
#include "bench/fleet_report.h"
#include "bench/report_numbers.h"
#include "common/error.h"

namespace snapdelta::bench {
namespace {

using Json = nlohmann::ordered_json;

Json summary_json(const Summary& s) {
  if (s.n == 0) return nullptr;
  return {{"median", r3(s.median)}, {"min", r3(s.min)}, {"max", r3(s.max)}, {"n", s.n}};
}

template <typename T>
Json or_null(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Json rounded_or_null(const std::optional<double>& v, double scale) {
  return v ? Json(std::round(*v * scale) / scale) : Json(nullptr);
}

// The spread of every figure a pipeline's runs measured.
Json stats_json(const PipelineStats& p) {
  return {{"wall_ms", summary_json(p.wall_ms)},
          {"in_process_total_ms", summary_json(p.total_ms)},
          {"cpu_ms", summary_json(p.cpu_ms)},
          {"peak_rss_kb", summary_json(p.peak_rss_kb)}};
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
           [&] {
             Json stats = stats_json(p);
             stats["phases_ms"] = phase_stats;
             return stats;
           }()},
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
            {"job", {{"file", or_null(c.job_file)}, {"tables", c.job_tables}}},
            {"repeat", c.repeat},
            {"day_runs", c.day_runs},
            {"quick", c.quick},
            {"state_from_cache", c.cached_state},
            {"store", c.store},
            {"process_floor_rss_kb", or_null(c.process_floor_rss_kb)},
            {"load_average_start", or_null(c.load_start)},
            {"load_average_end", or_null(c.load_end)}};
  const Json system = to_json(c.system);  // named: items() of a temporary would dangle
  for (const auto& [key, value] : system.items()) j[key] = value;
  j["cores"] = j["logical_cores"];
  return j;
}

// One pipeline of the job beside the built-in job: both spreads and job / built-in medians.
Json beside_json(const PipelineStats& job, const PipelineStats& builtin) {
  const auto ratio = [](const Summary& a, const Summary& b) {
    return rounded_or_null(builtin_ratio(a, b), 1000.0);
  };
  return {{"job", stats_json(job)},
          {"builtin", stats_json(builtin)},
          {"wall_ratio", ratio(job.wall_ms, builtin.wall_ms)},
          {"cpu_ratio", ratio(job.cpu_ms, builtin.cpu_ms)},
          {"peak_rss_ratio", ratio(job.peak_rss_kb, builtin.peak_rss_kb)}};
}

Json builtin_json(const BenchResults& r) {
  const BuiltinBeside& b = *r.builtin;
  if (!b.ran()) return {{"ran", false}, {"skipped", b.skipped}};
  return {{"ran", true},
          {"skipped", nullptr},
          {"ratio_basis", "job median / built-in job median, runs alternating in one bench"},
          {"full", beside_json(r.full, b.full)},
          {"incremental", beside_json(r.incremental, b.incremental)}};
}

Json days_json(const std::vector<DayRow>& days) {
  Json out = Json::array();
  for (const auto& d : days) {
    const PipelineStats &f = d.full, &i = d.incremental;
    const double speedup = i.wall_ms.median > 0 ? f.wall_ms.median / i.wall_ms.median : 0;
    std::string paths;
    for (const auto& p : i.paths) paths += (paths.empty() ? "" : ", ") + p;
    out.push_back({{"day", d.day},
                   {"samples", d.repeated ? "repeated_pairs" : "day_runs"},
                   {"n", f.runs.size()},
                   {"rows_in_file", f.last().rows_in_file},
                   {"new_rows", i.last().rows_processed},
                   {"groups", d.comparison.expected_groups},
                   {"full_ms", r3(f.wall_ms.median)},
                   {"incremental_ms", r3(i.wall_ms.median)},
                   {"full_in_process_ms", r3(f.total_ms.median)},
                   {"incremental_in_process_ms", r3(i.total_ms.median)},
                   {"full_peak_rss_kb", static_cast<long>(f.peak_rss_kb.median)},
                   {"incremental_peak_rss_kb", static_cast<long>(i.peak_rss_kb.median)},
                   {"incremental_path", paths},
                   {"speedup", speedup > 0 ? Json(r3(speedup)) : Json(nullptr)},
                   {"exact", d.comparison.exact()},
                   {"stats", {{"full", stats_json(f)}, {"incremental", stats_json(i)}}}});
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
              {"n", row.wall_ms.n},
              {"in_process_ms", row.in_process_ms ? Json(r3(row.in_process_ms->median)) : Json()},
              {"cpu_ms", r3(row.cpu_ms.median)},
              {"peak_rss_kb", static_cast<long>(row.peak_rss_kb.median)},
              {"rows_read", or_null(row.rows_read)},
              {"rows_used", or_null(row.rows_used)},
              {"groups", or_null(row.groups)},
              {"total_quantity", or_null(row.total_quantity)},
              {"ratio_vs_snapdelta_full", ratio(r.full.wall_ms.median)},
              {"ratio_vs_snapdelta_same_mode", ratio(same.wall_ms.median)},
              {"matches_snapdelta", or_null(row.matches_snapdelta)},
              {"stats",
               {{"wall_ms", summary_json(row.wall_ms)},
                {"cpu_ms", summary_json(row.cpu_ms)},
                {"peak_rss_kb", summary_json(row.peak_rss_kb)},
                {"in_process_ms", row.in_process_ms ? summary_json(*row.in_process_ms) : Json()}}}};
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
  j["schema"] = "snapdelta-bench/2";
  j["speedup"] = rounded_or_null(r.speedup(), 100.0);
  j["speedup_basis"] = "full.total_ms / incremental.total_ms, whole-process wall medians";
  j["speedup_pairs"] = summary_json(r.pair_speedups());
  j["speedup_in_process"] = rounded_or_null(r.speedup_in_process(), 100.0);
  j["memory_reduction_pct"] = rounded_or_null(r.memory_reduction_pct(), 10.0);
  j["exact"] = r.exact();
  Json differences = r.comparison.differences;
  for (const auto& d : r.days) {
    if (d.repeated) continue;  // the same pairs as r.comparison
    for (const auto& text : d.comparison.differences) {
      if (differences.size() < 10)
        differences.push_back("day " + std::to_string(d.day) + ": " + text);
    }
  }
  j["exactness"] = {{"groups", r.comparison.expected_groups},
                    {"difference_count", r.difference_count()},
                    {"differences", differences},
                    {"pairs_compared", r.pairs_compared()}};
  j["noise"] = kNoiseNote;
  j["conditions"] = conditions_json(r.conditions);
  j["full"] = pipeline_json(r.full);
  j["incremental"] = pipeline_json(r.incremental);
  j["days"] = days_json(r.days);
  if (r.peers.requested) j["peers"] = peers_json(r);
  j["containers"] = r.containers ? containers_json(*r.containers) : Json(nullptr);
  j["fleet"] = r.fleet ? fleet_json(*r.fleet) : Json(nullptr);
  j["builtin_beside"] = r.builtin ? builtin_json(r) : Json(nullptr);
  return j;
}

void write_json_report(const BenchResults& results, const std::string& path) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) fail(path, "expected a writable file, found it cannot be opened");
  out << to_json(results).dump(2) << '\n';
  if (!out) fail(path, "expected to write the JSON report, found a write error");
}

}  // namespace snapdelta::bench
