#include "bench/markdown_report.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>

#include "common/error.h"

namespace snapdelta::bench {
namespace {

std::string ms(double v) {
  if (v >= 100) return fmt::format("{:.0f}", v);
  if (v >= 10) return fmt::format("{:.1f}", v);
  return fmt::format("{:.2f}", v);
}

std::string mib(double kb) { return fmt::format("{:.1f} MiB", kb / 1024.0); }

std::string range_ms(const Summary& s) {
  return s.n > 1 ? fmt::format("{}–{}", ms(s.min), ms(s.max)) : "–";
}

std::string range_mib(const Summary& s) {
  return s.n > 1 ? fmt::format("{}–{}", mib(s.min), mib(s.max)) : "–";
}

std::string ratio(double a, double b) { return b > 0 ? fmt::format("{:.1f}×", a / b) : "n/a"; }

struct PhaseLabel {
  const char* key;
  const char* label;
};

constexpr PhaseLabel kFullPhases[] = {{"read_decompress", "Read/decompress"},
                                      {"parse_aggregate", "Processing (parse + aggregate)"},
                                      {"db_write", "DB write"},
                                      {"total", "Total (in-process)"}};
constexpr PhaseLabel kIncrementalPhases[] = {
    {"state_read", "DB read (state)"}, {"prefix_check", "Prefix check"},
    {"decompress", "Decompress"},      {"parse_aggregate", "Processing (parse + aggregate)"},
    {"db_write", "DB write"},          {"total", "Total (in-process)"}};

template <size_t N>
std::string pipeline_table(const PipelineStats& p, const PhaseLabel (&labels)[N]) {
  std::string md = "| Phase | Median | Min–max |\n|---|---:|---:|\n";
  auto row = [&](const std::string& label, const Summary& s) {
    md += fmt::format("| {} | {} ms | {} |\n", label, ms(s.median), range_ms(s));
  };
  for (const auto& l : labels) {
    if (const Summary* s = p.phase(l.key)) row(l.label, *s);
  }
  for (const auto& [name, s] : p.phases_ms) {  // phases this report does not know by name
    bool known = false;
    for (const auto& l : labels) known = known || name == l.key;
    if (!known) row("`" + name + "`", s);
  }
  if (!p.phase("total")) row("Total (in-process)", p.total_ms);
  md += fmt::format("| **Total (whole process, wall)** | **{} ms** | {} |\n", ms(p.wall_ms.median),
                    range_ms(p.wall_ms));
  md += fmt::format("| CPU time (user + sys) | {} ms | {} |\n", ms(p.cpu_ms.median),
                    range_ms(p.cpu_ms));
  md += fmt::format("| **Peak memory (RSS)** | **{}** | {} |\n", mib(p.peak_rss_kb.median),
                    range_mib(p.peak_rss_kb));
  return md;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

std::string conditions_section(const BenchResults& r) {
  const Conditions& c = r.conditions;
  const SystemInfo& s = c.system;
  std::vector<std::string> libs;
  for (const auto& [name, version] : s.libraries) libs.push_back(name + " " + version);
  std::string md = "## Benchmark conditions\n\n| | |\n|---|---|\n";
  md += fmt::format("| Client, day | {}, day {} (`{}`, {:.1f} MiB) |\n", c.client, c.day, c.file,
                    static_cast<double>(c.file_bytes) / (1024.0 * 1024.0));
  md += fmt::format("| Rows in the file | {} |\n", group_thousands(c.rows_in_file));
  md += fmt::format("| New rows (since day {}) | {} |\n", c.day - 1, group_thousands(c.new_rows));
  md += fmt::format("| Groups (date × SKU) | {} |\n", group_thousands(c.groups));
  md += fmt::format(
      "| Runs | {} of each pipeline on day {}, alternating order; medians, min–max beside them{} "
      "|\n",
      c.repeat, c.day, c.quick ? " (--quick: tiny data)" : "");
  md += fmt::format("| Day {} state | {} |\n", c.day - 1,
                    c.day <= 1 ? "none (day 1 is a first run on an empty database)"
                    : c.cached_state
                        ? "from --db-cache (same data files and binary)"
                        : fmt::format("built by incremental runs of days 1..{}", c.day - 1));
  md += fmt::format("| CPU | {} ({} logical cores, {} usable) |\n", s.cpu_model, s.logical_cores,
                    s.usable_cores);
  md += fmt::format("| Memory | {:.1f} GiB |\n",
                    static_cast<double>(s.memory_kb) / (1024.0 * 1024.0));
  md += fmt::format("| OS | {} |\n", s.os);
  md += fmt::format("| Compiler | {} |\n", s.compiler);
  md += fmt::format("| Build type | {} |\n", s.build_type);
  md += fmt::format("| snapdelta | {} |\n", s.snapdelta_version);
  md += fmt::format("| Libraries | {} |\n", join(libs, ", "));
  md += fmt::format("| Date | {} |\n", s.date_utc);
  md += fmt::format(
      "| Measurement | every run is its own process (`snapdelta run … --json`, fork + exec); wall "
      "time measured by the parent; CPU = user + sys and peak memory = `ru_maxrss`, both from "
      "`wait4` of that child. An idle snapdelta process (`--version`) peaks at {}. |\n",
      mib(static_cast<double>(c.process_floor_rss_kb)));
  return md + "\n";
}

std::string improvements_section(const BenchResults& r) {
  std::string md = "## Improvements\n\n| | |\n|---|---|\n";
  md += fmt::format(
      "| **Speed multiplier** | **{:.1f}×** (full {} ms / incremental {} ms, whole-process wall "
      "medians measured by the parent) |\n",
      r.speedup(), ms(r.full.wall_ms.median), ms(r.incremental.wall_ms.median));
  md += fmt::format(
      "| Speed multiplier, in-process totals | {:.1f}× (full {} ms / incremental {} ms, as the "
      "pipelines timed themselves) |\n",
      r.speedup_in_process(), ms(r.full.total_ms.median), ms(r.incremental.total_ms.median));
  md += fmt::format("| **Memory reduction** | **{:.0f}%** (peak RSS {} → {}) |\n",
                    r.memory_reduction_pct(), mib(r.full.peak_rss_kb.median),
                    mib(r.incremental.peak_rss_kb.median));
  md += fmt::format("| CPU time | {} (full {} ms / incremental {} ms) |\n",
                    ratio(r.full.cpu_ms.median, r.incremental.cpu_ms.median),
                    ms(r.full.cpu_ms.median), ms(r.incremental.cpu_ms.median));
  md += fmt::format("| Rows parsed | {} → {} |\n", group_thousands(r.full.last().rows_processed),
                    group_thousands(r.incremental.last().rows_processed));
  return md + "\n";
}

std::string correctness_section(const BenchResults& r) {
  std::string md = "## Correctness\n\n";
  const size_t pairs = r.full.runs.size() + r.days.size();
  if (r.exact()) {
    md += fmt::format(
        "**exact: {} groups** — every row of `processed_sales` for {} (date, SKU, quantity, "
        "revenue, order count) is identical between the incremental and the full database, in all "
        "{} pairs compared ({} repeated run(s) of day {} and each of the {} days).\n\n",
        group_thousands(r.comparison.expected_groups), r.conditions.client, pairs,
        r.full.runs.size(), r.conditions.day, r.days.size());
    return md;
  }
  uint64_t count = r.comparison.difference_count;
  for (const auto& d : r.days) count += d.comparison.difference_count;
  md += fmt::format(
      "**NOT exact: {} differences** between the incremental and the full database ({} pairs "
      "compared). First differences:\n\n",
      group_thousands(count), pairs);
  size_t listed = 0;
  for (const auto& d : r.comparison.differences) {
    if (listed++ < 10) md += "- day " + std::to_string(r.conditions.day) + ", " + d + "\n";
  }
  for (const auto& day : r.days) {
    for (const auto& d : day.comparison.differences) {
      if (listed++ < 10) md += fmt::format("- day {} (day by day): {}\n", day.day, d);
    }
  }
  return md + "\n";
}

std::string days_section(const BenchResults& r, const std::string& chart_file) {
  const int runs = r.conditions.day_runs;
  std::string md = fmt::format(
      "## Day by day\n\nFor each day d: a full run of day d's file into a fresh database, and an "
      "incremental run of day d on day d-1's state (day 1: a first run on an empty database). {}; "
      "whole-process wall time.\n\n",
      runs > 1 ? fmt::format("Each figure is the run with the median wall time of {}", runs)
               : std::string("One run each"));
  md +=
      "| Day | Rows in file | New rows | Full | Incremental | Speed-up | Full peak RSS | "
      "Incremental peak RSS | Incremental path | Exact |\n"
      "|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n";
  for (const auto& d : r.days) {
    std::string path = d.incremental.path;
    if (!d.incremental.rebuilt.empty()) path += " (" + d.incremental.rebuilt + ")";
    md += fmt::format("| {} | {} | {} | {} ms | {} ms | {} | {} | {} | {} | {} |\n", d.day,
                      group_thousands(d.full.rows_in_file),
                      group_thousands(d.incremental.rows_processed), ms(d.full.wall_ms),
                      ms(d.incremental.wall_ms), ratio(d.full.wall_ms, d.incremental.wall_ms),
                      mib(static_cast<double>(d.full.peak_rss_kb)),
                      mib(static_cast<double>(d.incremental.peak_rss_kb)), path,
                      d.comparison.exact()
                          ? "yes"
                          : fmt::format("**no** ({} differences)", d.comparison.difference_count));
  }
  md += fmt::format("\n![Full vs incremental, day by day]({})\n\n", chart_file);
  return md;
}

std::string peers_section(const BenchResults& r) {
  const PeerResults& p = r.peers;
  std::string md = "## Peers\n\n";
  if (!p.ran) return md + p.skipped + "\n";
  md += fmt::format(
      "The same job on day {}'s file by other engines (node {}), each run a separate process "
      "measured like snapdelta's (parent's wall clock, `wait4` peak RSS); medians of {} runs. "
      "**full** = unzip + read the CSV + group by (sku_id, transaction_date) with sum(quantity), "
      "sum(revenue), count(*); **incremental (seed's method)** = the same over the whole file, "
      "keeping only rows with transaction_date > {} (the last date in day {}'s state). Polars "
      "parses the CSV from the inflated bytes in memory; DuckDB cannot read a zip, so its script "
      "inflates the entry to a temporary file first (timed). The peers compute the aggregate but "
      "write no database; snapdelta's figures include its SQLite transaction.\n\n",
      r.conditions.day, p.node_version, r.conditions.repeat, p.after_date, r.conditions.day - 1);
  md +=
      "| Engine | Mode | Median | Min–max | In-process | Peak RSS | × snapdelta full | × snapdelta "
      "same mode | Rows used | Groups |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n";
  auto ours = [&](const char* mode, const PipelineStats& s) {
    md += fmt::format("| snapdelta | {} | {} ms | {} | {} ms | {} | {} | 1.0× | {} | {} |\n", mode,
                      ms(s.wall_ms.median), range_ms(s.wall_ms), ms(s.total_ms.median),
                      mib(s.peak_rss_kb.median), ratio(s.wall_ms.median, r.full.wall_ms.median),
                      group_thousands(s.last().rows_processed),
                      group_thousands(s.last().groups_written));
  };
  ours("full", r.full);
  ours("incremental", r.incremental);
  for (const auto& row : p.rows) {
    const bool work = row.mode != "startup";
    const PipelineStats& same = row.mode == "full" ? r.full : r.incremental;
    std::string groups = work ? group_thousands(row.groups) : "–";
    if (row.matches_snapdelta) groups += *row.matches_snapdelta ? " (= ours)" : " (**mismatch**)";
    md += fmt::format(
        "| {} {} | {} | {} ms | {} | {} | {} | {} | {} | {} | {} |\n", row.engine, row.version,
        work ? row.mode : "start-up only (node + engine loaded)", ms(row.wall_ms.median),
        range_ms(row.wall_ms), work ? ms(row.in_process_ms.median) + " ms" : "–",
        mib(row.peak_rss_kb.median), work ? ratio(row.wall_ms.median, r.full.wall_ms.median) : "–",
        work ? ratio(row.wall_ms.median, same.wall_ms.median) : "–",
        work ? group_thousands(row.rows_used) : "–", groups);
  }
  md +=
      "\n× columns: the engine's median wall time divided by snapdelta's (full, or the same mode); "
      "above 1.0× is slower than snapdelta. In-process: the time the pipeline or script measured "
      "itself, without node's start-up and module loading; the start-up rows show that floor (node "
      "loading the engine and doing nothing). snapdelta's incremental groups are the groups it "
      "touched.\n";
  if (p.mismatches.empty()) {
    md +=
        "\nGroup counts, row counts and total quantity of both peers' full runs match "
        "snapdelta's.\n";
  } else {
    md += "\n**Mismatches with snapdelta's full result:**\n\n";
    for (const auto& m : p.mismatches) md += "- " + m + "\n";
  }
  return md + "\n";
}

}  // namespace

std::string group_thousands(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string render_markdown(const BenchResults& r, const std::string& chart_file) {
  std::string md =
      fmt::format("# snapdelta benchmark: {}, day {}\n\n", r.conditions.client, r.conditions.day);
  const double mem = r.memory_reduction_pct();
  md += fmt::format(
      "Incremental is **{:.1f}× faster** than a full rebuild and peaks at **{:.0f}% {} memory**; "
      "result {}.\n\n",
      r.speedup(), std::abs(mem), mem >= 0 ? "less" : "more",
      r.exact() ? fmt::format("exact ({} groups)", group_thousands(r.comparison.expected_groups))
                : "**NOT exact**");
  md += conditions_section(r);
  md += fmt::format(
      "## Baseline (full)\n\nDay {} rebuilt from the whole file into a fresh database "
      "(plan path: {}). Read/decompress and processing may overlap in time (pipelined "
      "reader); they are shown as the pipeline reports them.\n\n",
      r.conditions.day, join(r.full.paths, ", "));
  md += pipeline_table(r.full, kFullPhases) + "\n";
  md += fmt::format(
      "## Optimized (incremental)\n\nDay {} applied to a fresh copy of day {}'s state: only the "
      "new "
      "rows are parsed (plan path: {}).\n\n",
      r.conditions.day, r.conditions.day - 1, join(r.incremental.paths, ", "));
  md += pipeline_table(r.incremental, kIncrementalPhases) + "\n";
  md += improvements_section(r);
  md += correctness_section(r);
  md += days_section(r, chart_file);
  if (r.peers.requested) md += peers_section(r);
  return md;
}

void write_markdown_report(const BenchResults& results, const std::string& chart_file,
                           const std::string& path) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) fail(path, "expected a writable file, found it cannot be opened");
  out << render_markdown(results, chart_file);
  if (!out) fail(path, "expected to write the report, found a write error");
}

}  // namespace snapdelta::bench
