#include "bench/bench_outputs.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "bench/builtin_report.h"
#include "bench/container_report.h"
#include "bench/fleet_report.h"
#include "bench/json_report.h"
#include "bench/markdown_report.h"
#include "bench/png_export.h"
#include "bench/svg_chart.h"
#include "common/error.h"

namespace snapdelta::bench {
namespace fs = std::filesystem;

OutputFiles write_outputs(const BenchResults& results, const std::string& out_dir) {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) fail(out_dir, "expected a writable output directory, found " + ec.message());
  OutputFiles files;
  files.markdown = (fs::path(out_dir) / "results.md").string();
  files.json = (fs::path(out_dir) / "results.json").string();
  files.chart = (fs::path(out_dir) / kChartFile).string();
  {
    std::ofstream svg(files.chart, std::ios::trunc);
    svg << render_day_figure(results);
    if (!svg) fail(files.chart, "expected to write the chart, found a write error");
  }
  const std::string png = (fs::path(out_dir) / kChartPng).string();
  files.png_note = svg_to_png(files.chart, png);
  if (files.png_note.empty()) files.png = png;
  ChartFiles charts{kChartFile, files.png.empty() ? "" : kChartPng, "", ""};
  if (results.fleet) {
    files.fleet_chart = (fs::path(out_dir) / kFleetChartFile).string();
    {
      std::ofstream svg(files.fleet_chart, std::ios::trunc);
      svg << render_fleet_figure(*results.fleet);
      if (!svg) fail(files.fleet_chart, "expected to write the chart, found a write error");
    }
    const std::string fleet_png = (fs::path(out_dir) / kFleetChartPng).string();
    if (svg_to_png(files.fleet_chart, fleet_png).empty()) files.fleet_png = fleet_png;
    charts.fleet_svg = kFleetChartFile;
    charts.fleet_png = files.fleet_png.empty() ? "" : kFleetChartPng;
  }
  write_markdown_report(results, charts, files.markdown);
  write_json_report(results, files.json);
  return files;
}

std::string summary(const BenchResults& r, const OutputFiles& files) {
  auto mib = [](double kb) { return fmt::format("{:.1f} MiB", kb / 1024.0); };
  auto spread = [](const Summary& w) {
    return fmt::format("{:.1f} ms ({:.1f}-{:.1f}, n={})", w.median, w.min, w.max, w.n);
  };
  const auto speedup = r.speedup();
  std::string s = fmt::format(
      "{} day {}: incremental {} vs full {} (whole process, medians) -> {}\n", r.conditions.client,
      r.conditions.day, spread(r.incremental.wall_ms), spread(r.full.wall_ms),
      !speedup        ? std::string("speed-up n/a")
      : *speedup >= 1 ? fmt::format("{:.1f}x faster", *speedup)
                      : fmt::format("{:.1f}x slower", 1 / *speedup));
  if (const auto mem = r.memory_reduction_pct()) {
    s += fmt::format("peak memory: incremental {} vs full {} -> {:.0f}% {}\n",
                     mib(r.incremental.peak_rss_kb.median), mib(r.full.peak_rss_kb.median),
                     std::abs(*mem), *mem >= 0 ? "less" : "more");
  }
  if (r.exact()) {
    s += fmt::format("exact: {} groups\n", group_thousands(r.comparison.expected_groups));
  } else {
    s += fmt::format("NOT exact: {} differences (see {})\n", r.difference_count(), files.markdown);
  }
  for (const auto& run : r.incremental.runs) {
    if (!run.rebuilt.empty()) {
      s += fmt::format("note: the incremental run of day {} fell back to a rebuild ({})\n",
                       r.conditions.day, run.rebuilt);
      break;
    }
  }
  if (r.peers.requested) {
    if (!r.peers.ran) {
      s += r.peers.skipped + "\n";
    } else {
      for (const auto& row : r.peers.rows) {
        s += fmt::format("peer {} {}: {:.1f} ms, {}{}\n", row.engine, row.mode, row.wall_ms.median,
                         mib(row.peak_rss_kb.median),
                         row.matches_snapdelta && !*row.matches_snapdelta ? " (MISMATCH)" : "");
      }
    }
  }
  if (r.builtin) s += builtin_summary(r);
  if (r.containers) s += containers_summary(*r.containers);
  if (r.fleet) s += fleet_summary(*r.fleet);
  if (!files.png_note.empty()) s += files.png_note + "\n";
  s += fmt::format("wrote {}, {}, {}{}{}{}\n", files.markdown, files.json, files.chart,
                   files.png.empty() ? "" : ", " + files.png,
                   files.fleet_chart.empty() ? "" : ", " + files.fleet_chart,
                   files.fleet_png.empty() ? "" : ", " + files.fleet_png);
  return s;
}

}  // namespace snapdelta::bench
