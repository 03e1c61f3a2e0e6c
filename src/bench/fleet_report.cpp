#include "bench/fleet_report.h"

#include <fmt/format.h>

#include <cmath>

#include "bench/bar_chart.h"
#include "bench/report_numbers.h"

namespace snapdelta::bench {
namespace {

using Json = nlohmann::ordered_json;

// "1234 ms (1200–1300 ms, n=5)"
std::string ms_spread(const Summary& s) {
  if (s.n == 0) return "not measured";
  if (s.n == 1) return fmt::format("{} ms (n=1)", ms(s.median));
  return fmt::format("{} ms ({}–{} ms, n={})", ms(s.median), ms(s.min), ms(s.max), s.n);
}

std::string mib_spread(const Summary& s) {
  if (s.n == 0) return "not measured";
  auto m = [](double kb) { return fmt::format("{:.1f}", kb / 1024.0); };
  if (s.n == 1) return fmt::format("{} MiB (n=1)", m(s.median));
  return fmt::format("{} MiB ({}–{} MiB, n={})", m(s.median), m(s.min), m(s.max), s.n);
}

std::string rate(const std::optional<double>& v) {
  if (!v) return "n/a";
  if (*v >= 100) return group_thousands(static_cast<uint64_t>(std::llround(*v)));
  return fmt::format("{:.1f}", *v);
}

std::string measured(const FleetTarget& t) {
  if (!t.measured) return "n/a";
  if (t.unit == "×") return fmt::format("{:.2f}×", *t.measured);
  if (t.unit == "ms") return fmt::format("{:.3f} ms", *t.measured);
  return fmt::format("{:.1f} {}", *t.measured, t.unit);
}

std::string met(const FleetTarget& t) {
  const auto m = t.met();
  return !m ? "not measured" : *m ? "**met**" : "**missed**";
}

Json summary_json(const Summary& s) {
  if (s.n == 0) return nullptr;
  return {{"median", r3(s.median)}, {"min", r3(s.min)}, {"max", r3(s.max)}, {"n", s.n}};
}

Json or_null(const std::optional<double>& v) { return v ? Json(r3(*v)) : Json(nullptr); }

std::string terms(const FleetResults& f) {
  return fmt::format(
      "- **sync**: `snapdelta sync` brings every client of the data dir to its newest drop in one "
      "process. **full sync**: day {0} of every client rebuilt into a fresh database (`--mode "
      "full`). **incremental sync**: day {0} applied to a fresh copy of a database holding every "
      "client at day {1} (made once by `sync --through-day {1}`). **no-op sync**: every client "
      "already at day {0}, nothing to do.\n"
      "- **--jobs 1 --threads 1**: one client at a time on one thread (sequential, as the seed). "
      "**--jobs {2}**: {2} clients at once (the usable cores), the cores shared out among them.\n"
      "- **process start**: a child that does no work — `snapdelta --version`, and a sync of an "
      "empty fleet (a data dir without clients). A no-op sync's cost per client is its wall "
      "time minus `--version`'s, divided by the clients.\n"
      "- **wall time**: the whole child process, fork to exit, on the bench's clock. "
      "**clients/s**: clients / wall median. **rows/s**: rows processed / wall median (full: every "
      "row of every day-{0} file; incremental: the rows added on day {0}). **peak RSS**: the "
      "child's largest resident memory (`ru_maxrss`), all jobs of the process together. **CPU**: "
      "user + sys of the child.\n"
      "- **exact**: every row of every client identical to the full sync at --jobs {2} of the "
      "same sample (date, SKU, quantity, revenue, order count).\n\n",
      f.day, f.day - 1, f.jobs);
}

// Why the sequential full sync peaks higher than the parallel one (measured; README, Fleet).
constexpr const char* kSequentialRssNote =
    "A full sync at `--jobs 1 --threads 1` peaks higher than at `--jobs` = cores: its one SQLite "
    "connection keeps the pages it wrote in its cache (up to 32 MiB), so its peak grows with the "
    "database (20 clients: 9.0 MiB after 1, 19.5 MiB after 20), while with several connections "
    "each commit makes the others drop theirs (13 MiB flat); an incremental sync writes little "
    "and stays flat.\n\n";

std::string cases_table(const FleetResults& f) {
  std::string md =
      "| Case | Wall time | Clients/s | Rows/s | CPU time | Peak RSS | Rows processed |\n"
      "|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& c : f.cases) {
    const bool work = c.mode == "full" || c.mode == "incremental";
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", c.label, ms_spread(c.wall_ms),
                      c.mode == "start" ? "–" : rate(c.clients_per_s()),
                      work ? rate(c.rows_per_s()) : "–", ms_spread(c.cpu_ms),
                      mib_spread(c.peak_rss_kb), work ? group_thousands(c.rows_processed()) : "–");
  }
  return md + "\n";
}

std::string targets_table(const FleetResults& f) {
  std::string md = "| Target | Goal | Measured | | Basis |\n|---|---|---:|---|---|\n";
  for (const auto& t : f.targets())
    md += fmt::format("| {} | {} | {} | {} | {} |\n", t.name, t.goal, measured(t), met(t), t.basis);
  return md + "\n";
}

std::string exactness_text(const FleetExactness& e, const std::string& what) {
  if (e.exact()) {
    return fmt::format(
        "**exact** — {}: {} client comparisons over {} result(s), every row identical.\n\n", what,
        e.clients_compared, e.results_compared);
  }
  std::string md = fmt::format(
      "**NOT exact** — {}: {} of {} client comparisons differ ({} differences). First:\n\n", what,
      e.clients_compared - e.clients_exact, e.clients_compared, e.difference_count);
  for (const auto& d : e.differences) md += "- " + d + "\n";
  return md + "\n";
}

std::string share(const PgFleet& pg, const char* phase) {
  double total = 0, part = 0;
  for (const auto& [name, s] : pg.phases_ms) {
    if (name == "total") total = s.median;
    if (name == phase) part = s.median;
  }
  return total > 0 ? fmt::format("{:.0f}%", part / total * 100) : "n/a";
}

std::string postgres_section(const FleetResults& f) {
  const PgFleet& pg = f.pg;
  std::string md = "### PostgreSQL\n\n";
  if (!pg.requested) return md + kPostgresHint + ".\n\n";
  md += fmt::format(
      "Server {}. 1, 2 and 4 worker processes started at once, each `snapdelta sync --mode {} "
      "--jobs 1 --threads 1` over the whole fleet into one fresh database: a client held by "
      "another worker is passed over, so each client is done once. Wall time from the first "
      "fork to the last worker's exit; medians of n alternating samples.\n\n",
      pg.server, pg.mode);
  md += "| Workers | Wall time | Clients/s | Rows/s | Exact |\n|---:|---:|---:|---:|---|\n";
  for (const auto& c : pg.cases) {
    md += fmt::format("| {} | {} | {} | {} | {} |\n", c.workers, ms_spread(c.wall_ms),
                      rate(c.clients_per_s()), rate(c.rows_per_s()),
                      c.exactness.exact()
                          ? fmt::format("yes ({} clients)", c.exactness.clients_compared)
                          : fmt::format("**no** ({} differences)", c.exactness.difference_count));
  }
  md += fmt::format(
      "\n**Where a client's time goes** (ms per client, median with min–max and n over clients; "
      "from {}):\n\n| Phase | Per client | Share of total |\n|---|---:|---:|\n",
      pg.phases_source);
  for (const auto& [name, s] : pg.phases_ms)
    md += fmt::format("| `{}` | {} | {} |\n", name, ms_spread(s), share(pg, name.c_str()));
  md += fmt::format(
      "\nWrite (`db_write`: rows and state sent to the server, committed) is {} of a client's "
      "time; read/parse (`read_decompress` + `parse_aggregate`) the rest of the work.\n\n",
      share(pg, "db_write"));
  for (const auto& c : pg.cases) {
    if (!c.exactness.exact())
      md += exactness_text(c.exactness, fmt::format("{} worker(s)", c.workers));
  }
  return md;
}

}  // namespace

std::string fleet_markdown(const FleetResults& f, const ChartFiles& chart) {
  std::string md = fmt::format("## Fleet: {} {}clients, one `snapdelta sync`\n\n", f.clients,
                               f.shape == "small" ? "small " : "");
  md += fmt::format(
      "{}: {} clients (`{}`), day 1 holds {} rows and each later day "
      "{} more, {} SKUs; day {} holds {} rows in all ({} new on day {}). Each sample runs every "
      "case below once as its own process, in alternating order (forward, then backward); {} "
      "samples. The day-{} database was made once, in {:.0f} ms (not a sample).\n\n",
      f.shape == "small" ? "Many small clients (--fleet-shape small)"
                         : "The seed's shape scaled down",
      f.clients, f.data_dir, group_thousands(static_cast<uint64_t>(f.base_rows)),
      group_thousands(static_cast<uint64_t>(f.rows_per_day)), f.skus, f.day,
      group_thousands(f.rows_in_day_file), group_thousands(f.new_rows), f.day, f.repeat, f.day - 1,
      f.prepare_ms);
  md += terms(f) + cases_table(f) + kSequentialRssNote;
  md += "**Targets** (ratios of medians measured side by side in this run):\n\n" + targets_table(f);
  md += exactness_text(f.exactness, fmt::format("{} clients, {} groups in the full result",
                                                f.clients, group_thousands(f.exactness.groups)));
  md += fmt::format("![Fleet: wall time and peak RSS per case, with spreads and targets]({})\n\n",
                    chart.svg);
  if (!chart.png.empty()) md += fmt::format("The same chart as PNG: [{0}]({0}).\n\n", chart.png);
  return md + postgres_section(f);
}

namespace {

Json case_json(const FleetCase& c) {
  Json samples = Json::array();
  for (const auto& s : c.samples) {
    samples.push_back({{"wall_ms", r3(s.wall_ms)},
                       {"cpu_ms", r3(s.cpu_ms)},
                       {"peak_rss_kb", s.peak_rss_kb},
                       {"applied", s.applied},
                       {"noop", s.noop},
                       {"rows_processed", s.rows_processed}});
  }
  const bool start = c.mode == "start";
  return {{"mode", c.mode},
          {"label", c.label},
          {"jobs", start ? Json(nullptr) : Json(c.jobs)},
          {"threads", start || c.threads == 0 ? Json(nullptr) : Json(c.threads)},
          {"wall_ms", summary_json(c.wall_ms)},
          {"cpu_ms", summary_json(c.cpu_ms)},
          {"peak_rss_kb", summary_json(c.peak_rss_kb)},
          {"clients", start ? Json(nullptr) : Json(c.clients())},
          {"rows_processed", start ? Json(nullptr) : Json(c.rows_processed())},
          {"clients_per_s", start ? Json(nullptr) : or_null(c.clients_per_s())},
          {"rows_per_s", start ? Json(nullptr) : or_null(c.rows_per_s())},
          {"samples", samples}};
}

Json exactness_json(const FleetExactness& e) {
  return {{"exact", e.exact()},
          {"results_compared", e.results_compared},
          {"clients_compared", e.clients_compared},
          {"clients_exact", e.clients_exact},
          {"difference_count", e.difference_count},
          {"differences", e.differences}};
}

Json postgres_json(const PgFleet& pg) {
  if (!pg.requested) return nullptr;
  Json cases = Json::array();
  for (const auto& c : pg.cases) {
    cases.push_back({{"workers", c.workers},
                     {"wall_ms", summary_json(c.wall_ms)},
                     {"clients_per_s", or_null(c.clients_per_s())},
                     {"rows_per_s", or_null(c.rows_per_s())},
                     {"exact", c.exactness.exact()},
                     {"exactness", exactness_json(c.exactness)}});
  }
  Json phases = Json::object();
  double total = 0, write = 0;
  for (const auto& [name, s] : pg.phases_ms) {
    phases[name] = summary_json(s);
    if (name == "total") total = s.median;
    if (name == "db_write") write = s.median;
  }
  return {{"server", pg.server},
          {"mode", pg.mode},
          {"workers", cases},
          {"phases_ms_per_client", phases},
          {"phases_source", pg.phases_source},
          {"write_share", total > 0 ? Json(r3(write / total)) : Json(nullptr)}};
}

}  // namespace

Json fleet_json(const FleetResults& f) {
  Json cases = Json::array();
  for (const auto& c : f.cases) cases.push_back(case_json(c));
  Json targets = Json::array();
  for (const auto& t : f.targets()) {
    const auto m = t.met();
    targets.push_back({{"name", t.name},
                       {"goal", t.goal},
                       {"measured", or_null(t.measured)},
                       {"unit", t.unit},
                       {"threshold", t.threshold},
                       {"met", m ? Json(*m) : Json(nullptr)},
                       {"basis", t.basis}});
  }
  Json e = exactness_json(f.exactness);
  e["groups"] = f.exactness.groups;
  return {{"clients", f.clients},
          {"shape", f.shape},
          {"day", f.day},
          {"base_rows", f.base_rows},
          {"rows_per_day", f.rows_per_day},
          {"skus", f.skus},
          {"data_dir", f.data_dir},
          {"repeat", f.repeat},
          {"jobs", f.jobs},
          {"rows_in_day_file", f.rows_in_day_file},
          {"new_rows", f.new_rows},
          {"prepare_ms", r3(f.prepare_ms)},
          {"basis",
           "whole-process wall time of each sync child, parent's clock; medians of "
           "alternating samples"},
          {"cases", cases},
          {"targets", targets},
          {"exact", f.exact()},
          {"exactness", e},
          {"postgresql", postgres_json(f.pg)}};
}

std::string fleet_summary(const FleetResults& f) {
  std::string s = fmt::format("fleet: {} clients, day {}:", f.clients, f.day);
  for (const auto& c : f.cases) {
    if (c.mode != "start") s += fmt::format(" {} {};", c.label, ms_spread(c.wall_ms));
  }
  s.back() = '\n';
  for (const auto& t : f.targets())
    s += fmt::format("fleet target {} {}: {} ({})\n", t.name, t.goal, measured(t),
                     !t.met()   ? "not measured"
                     : *t.met() ? "met"
                                : "MISSED");
  s += f.exactness.exact()
           ? fmt::format("fleet exact: {} client comparisons\n", f.exactness.clients_compared)
           : fmt::format("fleet NOT exact: {} differences\n", f.exactness.difference_count);
  if (!f.pg.requested) return s + kPostgresHint + "\n";
  for (const auto& c : f.pg.cases) {
    s += fmt::format("PostgreSQL {} worker(s): {}, {} clients/s, {} rows/s, {}\n", c.workers,
                     ms_spread(c.wall_ms), rate(c.clients_per_s()), rate(c.rows_per_s()),
                     c.exactness.exact() ? "exact" : "NOT exact");
  }
  return s;
}

namespace {

Summary scaled(const Summary& s, double by) { return {s.median * by, s.min * by, s.max * by, s.n}; }

const char* case_color(const std::string& mode) {
  if (mode == "full") return "#1f5fa8";
  if (mode == "incremental") return "#e8710a";
  if (mode == "noop") return "#2e8b57";
  return "#8c8c8c";
}

// A wall-time target of case `c` as a time: `of`'s median divided by `ratio`.
void add_time_target(Bar& bar, const FleetCase* of, double ratio, const std::string& label) {
  if (of == nullptr || of->wall_ms.n == 0 || bar.value.n == 0) return;
  const double limit = of->wall_ms.median / ratio;
  bar.targets.push_back({limit, label, bar.value.median <= limit});
}

// Every case's wall time, with the targets on wall time drawn as the time each allows.
BarChart time_panel(const FleetResults& f) {
  BarChart c;
  c.title = fmt::format("Fleet of {} clients: wall time per sync process", f.clients);
  c.subtitle = "one bar per case: median of the samples, min–max whisker; ticks: the targets";
  c.x_label = "wall time of the whole process (ms, lower is better)";
  c.unit = "ms";
  const std::string n = std::to_string(f.jobs);
  const FleetCase* version = nullptr;
  for (const auto& fc : f.cases) {
    if (fc.mode == "start" && fc.label.find("--version") != std::string::npos) version = &fc;
  }
  for (const auto& fc : f.cases) {
    Bar bar{fc.label, case_color(fc.mode), fc.wall_ms, {}};
    if (fc.mode == "incremental" && fc.jobs == f.jobs)
      add_time_target(bar, f.find("full", f.jobs), 10.0, "≥ 10× faster than full, --jobs " + n);
    if (f.jobs > 1 && fc.jobs == f.jobs && fc.mode == "full")
      add_time_target(bar, f.find("full", 1), 1.7, "≥ 1.7× faster than --jobs 1");
    if (f.jobs > 1 && fc.jobs == f.jobs && fc.mode == "incremental")
      add_time_target(bar, f.find("incremental", 1), 1.5, "≥ 1.5× faster than --jobs 1");
    if (fc.mode == "noop" && version && version->wall_ms.n > 0 && fc.wall_ms.n > 0) {
      const double limit = version->wall_ms.median + 1.0 * f.clients;
      bar.targets.push_back(
          {limit, "≤ 1 ms per client beyond process start", fc.wall_ms.median <= limit});
    }
    c.bars.push_back(std::move(bar));
  }
  return c;
}

// Every sync case's peak RSS against its limit, 16 MiB + 32 MiB per job.
BarChart memory_panel(const FleetResults& f) {
  BarChart c;
  c.title = "Peak memory (RSS) per sync process";
  c.subtitle =
      "median of the samples, min–max whisker; tick: 16 MiB + 32 MiB per job (judged on the "
      "largest)";
  c.x_label = "peak RSS (MiB, lower is better)";
  c.unit = "MiB";
  for (const auto& fc : f.cases) {
    Bar bar{fc.label, case_color(fc.mode), scaled(fc.peak_rss_kb, 1.0 / 1024.0), {}};
    if (fc.mode != "start" && fc.peak_rss_kb.n > 0) {
      const double limit = 16.0 + 32.0 * fc.jobs;
      bar.targets.push_back({limit, fmt::format("≤ {:.0f} MiB", limit), bar.value.max <= limit});
    }
    c.bars.push_back(std::move(bar));
  }
  return c;
}

BarChart postgres_panel(const FleetResults& f) {
  BarChart c;
  c.title = "PostgreSQL: full sync of the fleet by worker processes";
  c.subtitle = "each worker `sync --jobs 1 --threads 1`; median, min–max whisker; no target";
  c.x_label = "wall time from the first fork to the last exit (ms, lower is better)";
  c.unit = "ms";
  for (const auto& pc : f.pg.cases)
    c.bars.push_back({fmt::format("{} worker(s)", pc.workers), "#8e44ad", pc.wall_ms, {}});
  return c;
}

}  // namespace

std::string render_fleet_figure(const FleetResults& f) {
  std::vector<BarChart> panels = {time_panel(f), memory_panel(f)};
  if (f.pg.requested) panels.push_back(postgres_panel(f));
  return render_bar_panels(panels);
}

}  // namespace snapdelta::bench
