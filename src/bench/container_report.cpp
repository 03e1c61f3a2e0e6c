#include "bench/container_report.h"

#include <fmt/format.h>

#include <cmath>

#include "bench/markdown_report.h"
#include "bench/report_numbers.h"

namespace snapdelta::bench {
namespace {

using Json = nlohmann::ordered_json;

// "123 ms (120–130, n=5)"
std::string ms_spread(const Summary& s) {
  if (s.n == 0) return "not measured";
  if (s.n == 1) return fmt::format("{} ms (n=1)", ms(s.median));
  return fmt::format("{} ms ({}–{}, n={})", ms(s.median), ms(s.min), ms(s.max), s.n);
}

std::string mib_spread(const Summary& s) {
  if (s.n == 0) return "not measured";
  auto m = [](double kb) { return fmt::format("{:.1f}", kb / 1024.0); };
  if (s.n == 1) return fmt::format("{} MiB (n=1)", m(s.median));
  return fmt::format("{} MiB ({}–{}, n={})", m(s.median), m(s.min), m(s.max), s.n);
}

std::string times(const std::optional<double>& v) {
  return v ? fmt::format("{:.2f}×", *v) : std::string("n/a");
}

std::string met_text(const FleetTarget& t) {
  const auto m = t.met();
  return !m ? "not measured" : *m ? "**met**" : "**missed**";
}

std::string results_table(const ContainerResults& r) {
  std::string md =
      "| Container | Day file | Full (wall) | Incremental (wall) | Full / incr. | Route | Incr. "
      "CPU | Peak RSS full → incr. | Exact |\n|---|---:|---:|---:|---:|---|---:|---|---|\n";
  for (const auto& row : r.rows) {
    md += fmt::format(
        "| {} | {:.1f} MiB | {} | {} | {} | `{}` | {} | {} → {} | {} |\n", row.container,
        static_cast<double>(row.file_bytes) / (1024.0 * 1024.0), ms_spread(row.full.wall_ms),
        ms_spread(row.incremental.wall_ms), times(row.speedup()), row.route(),
        ms_spread(row.incremental.cpu_ms), mib_spread(row.full.peak_rss_kb),
        mib_spread(row.incremental.peak_rss_kb),
        row.comparison.exact()
            ? fmt::format("yes ({} groups)", group_thousands(row.comparison.expected_groups))
            : fmt::format("**no** ({} differences)", row.comparison.difference_count));
  }
  return md + "\n";
}

std::string targets_table(const ContainerResults& r) {
  std::string md = "| Target | Goal | Measured | | Basis |\n|---|---|---:|---|---|\n";
  for (const auto& t : r.targets()) {
    md += fmt::format("| {} | {} | {} | {} | {} |\n", t.name, t.goal, times(t.measured),
                      met_text(t), t.basis);
  }
  return md + "\n";
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

Json summary_json(const Summary& s) {
  if (s.n == 0) return nullptr;
  return {{"median", r3(s.median)}, {"min", r3(s.min)}, {"max", r3(s.max)}, {"n", s.n}};
}

Json runs_json(const Runs& r) {
  return {{"wall_ms", summary_json(r.wall_ms)},
          {"cpu_ms", summary_json(r.cpu_ms)},
          {"peak_rss_kb", summary_json(r.peak_rss_kb)}};
}

Json row_json(const ContainerRow& row) {
  const auto speedup = row.speedup();
  return {{"container", row.container},
          {"file", row.file},
          {"file_bytes", row.file_bytes},
          {"route", row.route()},
          {"paths", row.incremental.paths},
          {"full", runs_json(row.full)},
          {"incremental", runs_json(row.incremental)},
          {"speedup", speedup ? Json(r3(*speedup)) : Json(nullptr)},
          {"exact", row.comparison.exact()},
          {"difference_count", row.comparison.difference_count},
          {"differences", row.comparison.differences}};
}

}  // namespace

std::string containers_markdown(const ContainerResults& r) {
  std::string md = "## Containers\n\n";
  md += fmt::format(
      "The same CSV of {} day {} ({} rows, {} new since day {}) in every container `snapdelta "
      "generate --container` writes, generated into the bench's scratch folder; for each, `run "
      "--mode full` into a fresh database against `run --mode incremental` on a fresh copy of "
      "day {}'s state (made once, not a sample), each its own process, side by side: every "
      "sample runs one pair per container, alternating which pipeline goes first and the order "
      "of the containers; {} sample(s). Wall time is the whole process (parent's clock), "
      "median (min–max, n); the route is the incremental run's `path`; exact: the incremental "
      "database equals the full one, row for row, in every pair. This part took {:.0f} s in all "
      "(generation, states and samples), which is why it runs only when asked for.\n\n",
      r.client, r.day, group_thousands(r.rows_in_file), group_thousands(r.new_rows), r.day - 1,
      r.day - 1, r.repeat, r.elapsed_ms / 1000.0);
  md += results_table(r);
  md += "**Targets** (ratios of medians measured side by side in this run):\n\n";
  md += targets_table(r);
  const std::vector<std::string> missed = r.missed();
  md += missed.empty() ? std::string("Every measured target is met.\n\n")
                       : fmt::format("Missed: {}.\n\n", join(missed));
  for (const auto& row : r.rows) {
    if (row.comparison.exact()) continue;
    md += fmt::format("**{} NOT exact** ({} differences). First:\n\n", row.container,
                      row.comparison.difference_count);
    for (const auto& d : row.comparison.differences) md += "- " + d + "\n";
    md += "\n";
  }
  return md;
}

nlohmann::ordered_json containers_json(const ContainerResults& r) {
  Json rows = Json::array();
  for (const auto& row : r.rows) rows.push_back(row_json(row));
  Json targets = Json::array();
  for (const auto& t : r.targets()) {
    const auto m = t.met();
    targets.push_back({{"name", t.name},
                       {"goal", t.goal},
                       {"measured", t.measured ? Json(r3(*t.measured)) : Json(nullptr)},
                       {"unit", t.unit},
                       {"threshold", t.threshold},
                       {"met", m ? Json(*m) : Json(nullptr)},
                       {"basis", t.basis}});
  }
  return {{"client", r.client},
          {"day", r.day},
          {"repeat", r.repeat},
          {"rows_in_file", r.rows_in_file},
          {"new_rows", r.new_rows},
          {"elapsed_ms", r3(r.elapsed_ms)},
          {"basis",
           "whole-process wall time of each run child, parent's clock; medians of alternating "
           "pairs"},
          {"results", rows},
          {"targets", targets},
          {"missed", r.missed()},
          {"exact", r.exact()}};
}

std::string containers_summary(const ContainerResults& r) {
  std::string s = fmt::format("containers, {} day {}:", r.client, r.day);
  for (const auto& row : r.rows) {
    s += fmt::format(" {} {} → {} ({});", row.container, ms(row.full.wall_ms.median),
                     ms(row.incremental.wall_ms.median), row.route());
  }
  s.back() = '\n';
  const std::vector<std::string> missed = r.missed();
  s += missed.empty() ? std::string("container targets: every measured one met\n")
                      : "container targets MISSED: " + join(missed) + "\n";
  s += r.exact() ? "containers exact\n" : "containers NOT exact\n";
  return s;
}

}  // namespace snapdelta::bench
