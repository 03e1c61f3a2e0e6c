#include "bench/markdown_report.h"

#include <fmt/format.h>

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

std::string mib(double kb) { return fmt::format("{:.1f} MiB", kb / 1024.0); }
std::string mib_value(double kb) { return fmt::format("{:.1f}", kb / 1024.0); }

// "160–200 ms, n=5" (one run: "n=1"; none: "not measured").
std::string range_ms(const Summary& s) {
  if (s.n == 0) return "not measured";
  if (s.n == 1) return "n=1";
  return fmt::format("{}–{} ms, n={}", ms(s.min), ms(s.max), s.n);
}

std::string range_mib(const Summary& s) {
  if (s.n == 0) return "not measured";
  if (s.n == 1) return "n=1";
  return fmt::format("{}–{} MiB, n={}", mib_value(s.min), mib_value(s.max), s.n);
}

// "169 ms (160–200 ms, n=5)": a median with its spread beside it.
std::string ms_spread(const Summary& s) {
  return s.n == 0 ? "not measured" : fmt::format("{} ms ({})", ms(s.median), range_ms(s));
}
std::string mib_spread(const Summary& s) {
  return s.n == 0 ? "not measured" : fmt::format("{} ({})", mib(s.median), range_mib(s));
}

std::string ratio(double a, double b) { return b > 0 ? fmt::format("{:.1f}×", a / b) : "n/a"; }

template <typename T>
std::string count_or_na(const std::optional<T>& v) {
  return v ? group_thousands(static_cast<uint64_t>(*v)) : "n/a";
}

struct PhaseLabel {
  const char* key;
  const char* label;
};

constexpr PhaseLabel kFullPhases[] = {{"connect", "Connect (open the store)"},
                                      {"read_decompress", "Read/decompress"},
                                      {"parse_aggregate", "Processing (parse + aggregate)"},
                                      {"db_write", "DB write"},
                                      {"total", "Total (in-process)"}};
constexpr PhaseLabel kIncrementalPhases[] = {{"connect", "Connect (open the store)"},
                                             {"state_read", "DB read (state)"},
                                             {"prefix_check", "Prefix check"},
                                             {"decompress", "Decompress"},
                                             {"parse_aggregate", "Processing (parse + aggregate)"},
                                             {"db_write", "DB write"},
                                             {"total", "Total (in-process)"}};

template <size_t N>
std::string pipeline_table(const PipelineStats& p, const PhaseLabel (&labels)[N]) {
  std::string md =
      fmt::format("| Phase | Median of {} | Min–max, n |\n|---|---:|---:|\n", p.wall_ms.n);
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
  md += fmt::format("| **Wall time (whole process)** | **{} ms** | {} |\n", ms(p.wall_ms.median),
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

std::string floor_text(const Conditions& c) {
  return c.process_floor_rss_kb ? mib(static_cast<double>(*c.process_floor_rss_kb))
                                : std::string("not measured");
}

std::string load_text(const std::optional<double>& load) {
  return load ? fmt::format("{:.2f}", *load) : std::string("not measured");
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
  md += fmt::format("| Job | {}: {} |\n", c.job_file ? "`" + *c.job_file + "`" : "built-in",
                    c.job_tables);
  md +=
      fmt::format("| Groups ({}) | {} |\n", c.job_file ? "rows of the job's tables" : "date × SKU",
                  group_thousands(c.groups));
  md += fmt::format(
      "| Runs | {} of each pipeline on day {}, alternating order; medians, min–max and n beside "
      "them{} |\n",
      c.repeat, c.day, c.quick ? " (--quick: tiny data)" : "");
  md += fmt::format("| Day {} state | {} |\n", c.day - 1,
                    c.day <= 1 ? "none (day 1 is a first run on an empty database)"
                    : c.cached_state
                        ? "from --db-cache (same data files and binary)"
                        : fmt::format("built by incremental runs of days 1..{}", c.day - 1));
  md += fmt::format("| Store | {} (each run on a database of its own) |\n", c.store);
  md += fmt::format("| CPU | {} ({} logical cores, {} usable) |\n", s.cpu_model, s.logical_cores,
                    s.usable_cores);
  md += fmt::format("| Load average (1 min) | {} at the start, {} at the end |\n",
                    load_text(c.load_start), load_text(c.load_end));
  md += fmt::format("| Memory | {:.1f} GiB |\n",
                    static_cast<double>(s.memory_kb) / (1024.0 * 1024.0));
  md += fmt::format("| OS | {} |\n| Compiler | {} |\n| Build type | {} |\n", s.os, s.compiler,
                    s.build_type);
  md += fmt::format("| snapdelta | {} |\n| Libraries | {} |\n| Date | {} |\n", s.snapdelta_version,
                    join(libs, ", "), s.date_utc);
  md += fmt::format(
      "| Measurement | every run is its own process (`snapdelta run … --json`, fork + exec); wall "
      "time measured by the parent; CPU = user + sys and peak memory = `ru_maxrss`, both from "
      "`wait4` of that child. An idle snapdelta process (`--version`) peaks at {}. |\n",
      floor_text(c));
  return md + "\n";
}

// Which samples the figures are, and why two benches give different absolute times.
std::string reading_section(const BenchResults& r) {
  const Conditions& c = r.conditions;
  std::string md = "## How to read this report\n\n";
  md += fmt::format(
      "**Samples.** Every day-{0} figure — the headline, Baseline, Optimized, Improvements, the "
      "last row of the day-by-day table and the last point of the chart — comes from the same {1} "
      "repeated pairs of runs. ",
      c.day, c.repeat);
  if (c.day > 1) {
    md += fmt::format(
        "Days 1–{} in the day-by-day table come from their own {} run(s) per pipeline and day, "
        "separate samples. ",
        c.day - 1, c.day_runs);
  }
  md += "Every median has its spread beside it: min–max over n runs.\n\n";
  md += fmt::format("**Noise.** {} In this bench, full runs took {} and incremental runs {}",
                    kNoiseNote, range_ms(r.full.wall_ms), range_ms(r.incremental.wall_ms));
  const Summary pairs = r.pair_speedups();
  if (pairs.n > 1) {
    md += fmt::format("; the speed multiplier of each pair ranged {:.1f}–{:.1f}×", pairs.min,
                      pairs.max);
  }
  md += fmt::format(
      "; the 1-minute load average was {} at the start and {} at the end ({} logical "
      "cores).\n\n",
      load_text(c.load_start), load_text(c.load_end), c.system.logical_cores);
  return md;
}

std::string terms_section(const BenchResults& r) {
  std::string md = "## Terms\n\n";
  md +=
      "- **full**: rebuild the client's rows from day K's whole file into a fresh database "
      "(`snapdelta run --mode full`).\n"
      "- **incremental**: apply only the rows added since the stored state (here day K-1's), rows "
      "and new state in one transaction (`snapdelta run --mode incremental`).\n"
      "- **plan path**: how a run reached its rows. `checkpoint`: resumed inflating at a deflate "
      "block boundary stored by the previous run, after proving by hash that the compressed bytes "
      "before it are unchanged, so only the new part is inflated and parsed; `inflate-all`: the "
      "compressed bytes differ (another zip tool), so everything is inflated and checked, only the "
      "new rows parsed; `first-run`: no state yet, the whole file; `noop`: nothing new; `rebuilt`: "
      "history changed, the client rebuilt from the file; `full`: a full run.\n"
      "- **wall time**: elapsed time of the whole child process (fork to exit, start-up "
      "included), on the bench's clock. **In-process total**: what the pipeline timed itself, "
      "without process start-up.\n"
      "- **CPU time**: user + system time of the child (`wait4`); above wall time when two "
      "threads work at once.\n";
  md += fmt::format(
      "- **peak RSS**: the child's largest resident memory (`ru_maxrss`). **Process floor**: the "
      "peak RSS of an idle `snapdelta --version`, {}.\n",
      floor_text(r.conditions));
  md +=
      "- **median, min–max, n**: the middle of n measurements (mean of the two middle ones when n "
      "is even) and the smallest and largest.\n"
      "- **speed multiplier**: full median wall time / incremental median wall time. **Memory "
      "reduction**: (full − incremental) / full, on peak RSS medians.\n";
  md += r.conditions.job_file
            ? "- **groups**: rows of the job's tables, one per key of each table. **exact**: every "
              "row of the client, in every table, identical in both databases.\n"
            : "- **groups**: rows of `processed_sales`, one per (transaction date, SKU). "
              "**exact**: every row of the client identical in both databases.\n";
  if (r.peers.requested) {
    md +=
        "- **seed**: the Python + Polars proof of concept this project started from. **Seed's "
        "method** (incremental): read the whole day-K file again and keep only rows dated after "
        "the last date already processed — it reads every row, and misses rows that arrive late "
        "with an earlier date.\n";
  }
  md +=
      "- **n/a, not measured**: a figure this bench could not take (null in results.json), never "
      "written as 0.\n\n";
  return md;
}

std::string improvements_section(const BenchResults& r) {
  std::string md = "## Improvements\n\n| | |\n|---|---|\n";
  const auto speedup = r.speedup();
  const Summary pairs = r.pair_speedups();
  md += fmt::format(
      "| **Speed multiplier** | **{}** (full {} / incremental {}, whole-process wall medians; per "
      "pair {}) |\n",
      speedup ? fmt::format("{:.1f}×", *speedup) : "n/a", ms_spread(r.full.wall_ms),
      ms_spread(r.incremental.wall_ms),
      pairs.n > 0 ? fmt::format("{:.1f}–{:.1f}×, n={}", pairs.min, pairs.max, pairs.n) : "n/a");
  const auto in_process = r.speedup_in_process();
  md += fmt::format(
      "| Speed multiplier, in-process totals | {} (full {} / incremental {}, as the pipelines "
      "timed themselves) |\n",
      in_process ? fmt::format("{:.1f}×", *in_process) : "n/a", ms_spread(r.full.total_ms),
      ms_spread(r.incremental.total_ms));
  const auto mem = r.memory_reduction_pct();
  md += fmt::format("| **Memory reduction** | **{}** (peak RSS {} → {}) |\n",
                    mem ? fmt::format("{:.0f}%", *mem) : "n/a", mib_spread(r.full.peak_rss_kb),
                    mib_spread(r.incremental.peak_rss_kb));
  md += fmt::format("| CPU time | {} (full {} / incremental {}) |\n",
                    ratio(r.full.cpu_ms.median, r.incremental.cpu_ms.median),
                    ms_spread(r.full.cpu_ms), ms_spread(r.incremental.cpu_ms));
  md += fmt::format("| Rows parsed | {} → {} |\n", group_thousands(r.full.last().rows_processed),
                    group_thousands(r.incremental.last().rows_processed));
  return md + "\n";
}

std::string correctness_section(const BenchResults& r) {
  std::string md = "## Correctness\n\n";
  const size_t pairs = r.pairs_compared();
  const size_t earlier_days = r.days.empty() ? 0 : r.days.size() - 1;
  if (r.exact()) {
    const std::string rows =
        r.conditions.job_file
            ? fmt::format("of every table of the job ({}) for {}", r.conditions.job_tables,
                          r.conditions.client)
            : fmt::format("of `processed_sales` for {} (date, SKU, quantity, revenue, order count)",
                          r.conditions.client);
    md += fmt::format(
        "**exact: {} groups** — every row {} is identical between the incremental and the full "
        "database, in all {} pairs compared ({} repeated pair(s) of day {} and those of the {} "
        "earlier day(s)).\n\n",
        group_thousands(r.comparison.expected_groups), rows, pairs, r.full.runs.size(),
        r.conditions.day, earlier_days);
    return md;
  }
  md += fmt::format(
      "**NOT exact: {} differences** between the incremental and the full database ({} pairs "
      "compared). First differences:\n\n",
      group_thousands(r.difference_count()), pairs);
  size_t listed = 0;
  for (const auto& d : r.comparison.differences) {
    if (listed++ < 10) md += "- day " + std::to_string(r.conditions.day) + ", " + d + "\n";
  }
  for (const auto& day : r.days) {
    if (day.repeated) continue;
    for (const auto& d : day.comparison.differences) {
      if (listed++ < 10) md += fmt::format("- day {} (day by day): {}\n", day.day, d);
    }
  }
  return md + "\n";
}

std::string day_row(const DayRow& d) {
  const PipelineStats &f = d.full, &i = d.incremental;
  std::string path = join(i.paths, ", ");
  for (const auto& run : i.runs) {
    if (!run.rebuilt.empty()) {
      path += " (" + run.rebuilt + ")";
      break;
    }
  }
  return fmt::format(
      "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", d.day,
      d.repeated ? fmt::format("{} (the repeated pairs)", f.runs.size())
                 : std::to_string(f.runs.size()),
      group_thousands(f.last().rows_in_file), group_thousands(i.last().rows_processed),
      ms_spread(f.wall_ms), ms_spread(i.wall_ms), ratio(f.wall_ms.median, i.wall_ms.median),
      mib_spread(f.peak_rss_kb), mib_spread(i.peak_rss_kb), path,
      d.comparison.exact() ? "yes"
                           : fmt::format("**no** ({} differences)", d.comparison.difference_count));
}

std::string days_section(const BenchResults& r, const ChartFiles& chart) {
  std::string md = fmt::format(
      "## Day by day\n\nFor each day d: a full run of day d's file into a fresh database, and an "
      "incremental run of day d on day d-1's state (day 1: a first run on an empty database). "
      "Medians of n runs per pipeline, min–max beside them; whole-process wall time and peak RSS. "
      "Day {} is the repeated pairs above (the same samples as the headline); the other days are "
      "runs of their own.\n\n",
      r.conditions.day);
  md +=
      "| Day | n | Rows in file | New rows | Full | Incremental | Speed-up | Full peak RSS | "
      "Incremental peak RSS | Incremental path | Exact |\n"
      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n";
  for (const auto& d : r.days) md += day_row(d);
  md += fmt::format(
      "\n![Full vs incremental, day by day: time per run above, peak memory per run below]({})\n\n",
      chart.svg);
  if (!chart.png.empty()) md += fmt::format("The same chart as PNG: [{0}]({0}).\n\n", chart.png);
  return md;
}

std::string peers_intro(const BenchResults& r) {
  const PeerResults& p = r.peers;
  return fmt::format(
      "The same job on day {}'s file by other engines (node {}), each run a separate process "
      "measured like snapdelta's (parent's wall clock, `wait4` peak RSS); medians of {} runs, "
      "min–max beside them. **full** = unzip + read the CSV + group by (sku_id, transaction_date) "
      "with sum(quantity), sum(revenue), count(*); **incremental (seed's method)** = the seed's "
      "incremental method (see Terms): the same over the whole file, keeping only rows with "
      "transaction_date > {} (the last date in day {}'s state). Polars parses the CSV from the "
      "inflated bytes in memory; DuckDB cannot read a zip, so its script inflates the entry to a "
      "temporary file first (timed). The peers compute the aggregate but write no database; "
      "snapdelta's figures include its SQLite transaction.\n\n",
      r.conditions.day, p.node_version, r.conditions.repeat, p.after_date, r.conditions.day - 1);
}

std::string peer_row(const BenchResults& r, const PeerRow& row) {
  const bool work = row.mode != "startup";
  const PipelineStats& same = row.mode == "full" ? r.full : r.incremental;
  std::string groups = work ? count_or_na(row.groups) : "–";
  if (row.matches_snapdelta) groups += *row.matches_snapdelta ? " (= ours)" : " (**mismatch**)";
  return fmt::format(
      "| {} {} | {} | {} ms | {} | {} | {} | {} | {} | {} | {} | {} |\n", row.engine, row.version,
      work ? row.mode : "start-up only (node + engine loaded)", ms(row.wall_ms.median),
      range_ms(row.wall_ms),
      !work               ? "–"
      : row.in_process_ms ? ms_spread(*row.in_process_ms)
                          : "not measured",
      mib_spread(row.peak_rss_kb), work ? ratio(row.wall_ms.median, r.full.wall_ms.median) : "–",
      work ? ratio(row.wall_ms.median, same.wall_ms.median) : "–",
      work ? count_or_na(row.rows_read) : "–", work ? count_or_na(row.rows_used) : "–", groups);
}

std::string peers_section(const BenchResults& r) {
  const PeerResults& p = r.peers;
  std::string md = "## Peers\n\n";
  if (!p.ran) return md + p.skipped + "\n";
  md += peers_intro(r);
  md +=
      "| Engine | Mode | Median | Min–max, n | In-process | Peak RSS | × snapdelta full | × "
      "snapdelta same mode | Rows read | Rows used | Groups |\n"
      "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
  auto ours = [&](const char* mode, const PipelineStats& s) {
    md += fmt::format(
        "| snapdelta | {} | {} ms | {} | {} | {} | {} | 1.0× | {} | {} | {} |\n", mode,
        ms(s.wall_ms.median), range_ms(s.wall_ms), ms_spread(s.total_ms), mib_spread(s.peak_rss_kb),
        ratio(s.wall_ms.median, r.full.wall_ms.median), group_thousands(s.last().rows_processed),
        group_thousands(s.last().rows_processed), group_thousands(s.last().groups_written));
  };
  ours("full", r.full);
  ours("incremental", r.incremental);
  for (const auto& row : p.rows) md += peer_row(r, row);
  md +=
      "\n× columns: the engine's median wall time divided by snapdelta's (full, or the same mode); "
      "above 1.0× is slower than snapdelta. In-process: the time the pipeline or script measured "
      "itself, without node's start-up and module loading; the start-up rows show that floor (node "
      "loading the engine and doing nothing). Rows read: rows the engine parsed (snapdelta's "
      "incremental parses only the new ones; n/a: DuckDB does not count the rows its date filter "
      "drops). Rows used: rows that went into the aggregate. snapdelta's incremental groups are "
      "the groups it touched.\n";
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

// "3 of 4 targets met; missed: a; b" over targets judged (not measured ones are left out).
std::string targets_verdict(const std::vector<FleetTarget>& targets) {
  size_t judged = 0, met = 0;
  std::vector<std::string> missed;
  for (const auto& t : targets) {
    const auto m = t.met();
    if (!m) continue;
    ++judged;
    if (*m) {
      ++met;
    } else {
      missed.push_back(t.name);
    }
  }
  std::string out = fmt::format("{} of {} targets met", met, judged);
  return missed.empty() ? out : out + "; **missed: " + join(missed, "; ") + "**";
}

// The fleet's line of the headline: its incremental against its full sync, and the targets.
std::string fleet_headline(const FleetResults& f) {
  const FleetCase* full = f.find("full", f.jobs);
  const FleetCase* incr = f.find("incremental", f.jobs);
  std::string md =
      fmt::format("**Fleet** ({} clients, one `snapdelta sync`, --jobs {}): ", f.clients, f.jobs);
  if (full && incr && incr->wall_ms.median > 0) {
    md += fmt::format("incremental sync **{:.1f}× faster** than a full sync ({} → {})",
                      full->wall_ms.median / incr->wall_ms.median, ms_spread(full->wall_ms),
                      ms_spread(incr->wall_ms));
  } else {
    md += "incremental vs full sync n/a";
  }
  return md + fmt::format("; {}; result {}. See [Fleet](#fleet-{}-clients-one-snapdelta-sync).\n\n",
                          targets_verdict(f.targets()), f.exact() ? "exact" : "**NOT exact**",
                          f.clients);
}

std::string containers_headline(const ContainerResults& c) {
  std::vector<std::string> names;
  for (const auto& row : c.rows) names.push_back(row.container);
  return fmt::format("**Containers** ({}): {}; result {}. See [Containers](#containers).\n\n",
                     join(names, ", "), targets_verdict(c.targets()),
                     c.exact() ? "exact" : "**NOT exact**");
}

std::string headline(const BenchResults& r) {
  std::string md =
      fmt::format("# snapdelta benchmark: {}, day {}\n\n", r.conditions.client, r.conditions.day);
  const auto speedup = r.speedup();
  if (!speedup) {
    md += "The speed multiplier is n/a (an incremental median of 0 ms)";
  } else if (*speedup >= 1) {
    md += fmt::format("Incremental is **{:.1f}× faster** than a full rebuild", *speedup);
  } else {
    md += fmt::format("Incremental is **{:.1f}× slower** than a full rebuild here", 1 / *speedup);
  }
  md += fmt::format(" (whole-process wall time: full {}, incremental {})",
                    ms_spread(r.full.wall_ms), ms_spread(r.incremental.wall_ms));
  if (const auto mem = r.memory_reduction_pct()) {
    md += fmt::format(" and peaks at **{:.0f}% {} memory** (peak RSS {} → {})", std::abs(*mem),
                      *mem >= 0 ? "less" : "more", mib(r.full.peak_rss_kb.median),
                      mib(r.incremental.peak_rss_kb.median));
  }
  md += fmt::format(
      "; result {}. Terms are defined in [Terms](#terms); the machine is noisy, see [How to "
      "read this report](#how-to-read-this-report).\n\n",
      r.exact() ? fmt::format("exact ({} groups)", group_thousands(r.comparison.expected_groups))
                : "**NOT exact**");
  if (r.fleet) md += fleet_headline(*r.fleet);
  if (r.containers) md += containers_headline(*r.containers);
  return md;
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

std::string render_markdown(const BenchResults& r, const ChartFiles& chart) {
  std::string md = headline(r);
  md += reading_section(r);
  md += terms_section(r);
  md += conditions_section(r);
  md += fmt::format(
      "## Baseline (full)\n\nDay {} rebuilt from the whole file into a fresh database "
      "(plan path: {}). Read/decompress and processing may overlap in time (pipelined "
      "reader); they are shown as the pipeline reports them.\n\n",
      r.conditions.day, join(r.full.paths, ", "));
  md += pipeline_table(r.full, kFullPhases) + "\n";
  md += fmt::format(
      "## Optimized (incremental)\n\nDay {} applied to a fresh copy of day {}'s state: only the "
      "new rows are parsed (plan path: {}).\n\n",
      r.conditions.day, r.conditions.day - 1, join(r.incremental.paths, ", "));
  md += pipeline_table(r.incremental, kIncrementalPhases) + "\n";
  md += improvements_section(r);
  md += correctness_section(r);
  md += days_section(r, chart);
  md += builtin_markdown(r);
  if (r.peers.requested) md += peers_section(r);
  if (r.containers) md += containers_markdown(*r.containers);
  if (r.fleet) md += fleet_markdown(*r.fleet, {chart.fleet_svg, chart.fleet_png, "", ""});
  return md;
}

void write_markdown_report(const BenchResults& results, const ChartFiles& chart,
                           const std::string& path) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) fail(path, "expected a writable file, found it cannot be opened");
  out << render_markdown(results, chart);
  if (!out) fail(path, "expected to write the report, found a write error");
}

}  // namespace snapdelta::bench
