// Tests for bench's report writers on fixed, hand-made inputs (no benchmark is run): the SVG chart
// renders byte for byte as its golden files in tests/golden/ (regenerate them deliberately with
// SNAPDELTA_UPDATE_GOLDEN=1 after a change that is meant to alter the picture); results.json has
// its keys, spreads and nulls; results.md defines its terms, states its samples and its noise; the
// figure has a time and a memory panel; the PNG is written when rsvg-convert exists.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "bench/bench_outputs.h"
#include "bench/child_runner.h"
#include "bench/json_report.h"
#include "bench/markdown_report.h"
#include "bench/svg_chart.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace snapdelta::bench;

namespace {

using snapdelta::test::TempDir;

std::string slurp(const std::string& path) { return snapdelta::test::read_file(path); }

// Compares `actual` with tests/golden/<name>, or rewrites the file when asked to.
void expect_golden(const std::string& name, const std::string& actual) {
  const fs::path path = fs::path(SNAPDELTA_SOURCE_DIR) / "tests" / "golden" / name;
  if (const char* update = std::getenv("SNAPDELTA_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << actual;
  }
  ASSERT_TRUE(fs::is_regular_file(path)) << path;
  const std::string expected = slurp(path.string());
  EXPECT_EQ(actual.size(), expected.size()) << name;
  EXPECT_TRUE(actual == expected) << name << " differs from its golden file";
}

// Ten days of a cumulative drop: both series, bars on the right axis, a subtitle, markup in text.
Chart ten_day_chart() {
  Chart c;
  c.title = "client_1: full vs incremental, day by day";
  c.subtitle = "time per run of day d's cumulative file (whole process, median of 3) <&>";
  c.x_label = "day";
  c.y_label = "time per run (ms)";
  c.y2_label = "rows in the day's file";
  c.bars_name = "rows in the file (right axis)";
  ChartSeries full{"full (rebuild from the file)", "#1f5fa8", false, {}};
  ChartSeries incr{"incremental (new rows only)", "#e8710a", true, {}};
  for (int d = 1; d <= 10; ++d) {
    c.x.push_back(d);
    full.values.push_back(15.0 * d + 0.37 * d * d);
    incr.values.push_back(d == 1 ? 16.2 : 9.5 + 0.8 * d);
    c.bars.push_back(1'000'000.0 + 100'000.0 * (d - 1));
  }
  c.series = {full, incr};
  return c;
}

}  // namespace

TEST(SvgGolden, TenDaysWithBars) { expect_golden("svg_ten_days.svg", render_svg(ten_day_chart())); }

TEST(SvgGolden, NoBarsNoSubtitleSmallValues) {
  Chart c = ten_day_chart();
  c.subtitle.clear();
  c.bars.clear();
  for (auto& s : c.series) {
    for (auto& v : s.values) v /= 37.0;
  }
  expect_golden("svg_no_bars.svg", render_svg(c));
}

TEST(SvgGolden, CrowdedAxisIsThinned) {
  Chart c;
  c.title = "forty days";
  c.x_label = "day";
  c.y_label = "ms";
  c.y2_label = "rows";
  c.bars_name = "rows";
  ChartSeries only{"one series", "#123456", false, {}};
  for (int d = 1; d <= 40; ++d) {
    c.x.push_back(d);
    only.values.push_back(d % 7 == 0 ? 250.5 : 12.25 * (d % 5));
    c.bars.push_back(950.0 * d);
  }
  c.series = {only};
  expect_golden("svg_forty_days.svg", render_svg(c));
}

TEST(SvgGolden, EmptyChart) {
  Chart c;
  c.title = "nothing yet";
  expect_golden("svg_empty.svg", render_svg(c));
}

// ---- report writers on a hand-made BenchResults ------------------------------------------------

namespace {

RunSample sample(const std::string& mode, double wall_ms, long rss_kb, uint64_t rows_in_file,
                 uint64_t rows_processed) {
  RunSample s;
  s.mode = mode;
  s.path = mode == "full" ? "full" : "checkpoint";
  s.rows_in_file = rows_in_file;
  s.rows_processed = rows_processed;
  s.groups_written = 100;
  s.total_ms = wall_ms * 0.8;
  s.phases_ms = {{"db_write", wall_ms * 0.1}, {"total", wall_ms * 0.8}};
  s.wall_ms = wall_ms;
  s.cpu_ms = wall_ms * 1.2;
  s.peak_rss_kb = rss_kb;
  return s;
}

// Three days; day 3 is the repeated pairs. Peers ran, DuckDB's incremental did not count rows_read;
// the process floor and the load average were not measured.
BenchResults sample_results() {
  BenchResults r;
  Conditions& c = r.conditions;
  c.client = "client_1";
  c.day = 3;
  c.file = "data/client_1/transactions_day_3.zip";
  c.rows_in_file = 1200;
  c.new_rows = 100;
  c.groups = 300;
  c.total_quantity = 5000;
  c.repeat = 3;
  c.day_runs = 2;
  c.load_start = 1.5;
  c.system.logical_cores = 2;
  r.full = PipelineStats::from({sample("full", 169, 80000, 1200, 1200),
                                sample("full", 269, 81000, 1200, 1200),
                                sample("full", 160, 79000, 1200, 1200)});
  r.incremental = PipelineStats::from({sample("incremental", 28.2, 20000, 1200, 100),
                                       sample("incremental", 31, 21000, 1200, 100),
                                       sample("incremental", 25, 19000, 1200, 100)});
  r.comparison.expected_groups = 300;
  for (int d = 1; d <= 2; ++d) {
    DayRow row;
    row.day = d;
    row.full =
        PipelineStats::from({sample("full", 100.0 * d, 70000, 1000u + 100u * d, 1000u + 100u * d),
                             sample("full", 110.0 * d, 72000, 1000u + 100u * d, 1000u + 100u * d)});
    row.incremental =
        PipelineStats::from({sample("incremental", 20, 15000, 1000u + 100u * d, 100),
                             sample("incremental", 22, 16000, 1000u + 100u * d, 100)});
    r.days.push_back(row);
  }
  DayRow last;
  last.day = 3;
  last.full = r.full;
  last.incremental = r.incremental;
  last.comparison = r.comparison;
  last.repeated = true;
  r.days.push_back(last);

  r.peers.requested = r.peers.ran = true;
  r.peers.after_date = "2025-10-02";
  r.peers.node_version = "v18.0.0";
  PeerRow duck;
  duck.engine = "duckdb";
  duck.mode = "incremental";
  duck.version = "1.0";
  duck.wall_ms = summarize({300, 320, 310});
  duck.cpu_ms = summarize({400, 410, 405});
  duck.peak_rss_kb = summarize({90000, 91000, 92000});
  duck.in_process_ms = summarize({200, 210, 205});
  duck.rows_used = 100;  // rows_read: not counted
  duck.groups = 50;
  duck.total_quantity = 400;
  PeerRow startup = duck;
  startup.mode = "startup";
  startup.in_process_ms.reset();
  startup.rows_used.reset();
  startup.groups.reset();
  startup.total_quantity.reset();
  r.peers.rows = {duck, startup};
  return r;
}

}  // namespace

TEST(JsonReport, NullWhereNotMeasuredAndSpreadsBesideMedians) {
  const nlohmann::ordered_json j = to_json(sample_results());
  EXPECT_EQ(j["schema"], "snapdelta-bench/2");
  EXPECT_NEAR(j["speedup"].get<double>(), 169 / 28.2, 0.01);
  for (const char* key : {"median", "min", "max", "n"})
    EXPECT_TRUE(j["speedup_pairs"][key].is_number()) << key;
  EXPECT_EQ(j["speedup_pairs"]["n"], 3);
  EXPECT_TRUE(j["noise"].is_string());
  const auto& c = j["conditions"];
  EXPECT_TRUE(c["process_floor_rss_kb"].is_null());
  EXPECT_EQ(c["load_average_start"], 1.5);
  EXPECT_TRUE(c["load_average_end"].is_null());
  EXPECT_TRUE(c["memory_kb"].is_null());  // never read here
  EXPECT_EQ(c["cores"], 2);

  for (const char* mode : {"full", "incremental"}) {
    for (const char* figure : {"wall_ms", "in_process_total_ms", "cpu_ms", "peak_rss_kb"}) {
      EXPECT_EQ(j[mode]["stats"][figure]["n"], 3) << mode << " " << figure;
    }
  }
  ASSERT_EQ(j["days"].size(), 3u);
  EXPECT_EQ(j["days"][0]["samples"], "day_runs");
  EXPECT_EQ(j["days"][0]["n"], 2);
  EXPECT_EQ(j["days"][0]["stats"]["full"]["wall_ms"]["min"], 100);
  EXPECT_EQ(j["days"][0]["stats"]["full"]["wall_ms"]["max"], 110);
  EXPECT_EQ(j["days"][0]["full_ms"], 105);  // the median of the two
  // Day K: the very samples of the headline.
  EXPECT_EQ(j["days"][2]["samples"], "repeated_pairs");
  EXPECT_EQ(j["days"][2]["full_ms"], j["full"]["total_ms"]);
  EXPECT_EQ(j["days"][2]["incremental_ms"], j["incremental"]["total_ms"]);
  EXPECT_EQ(j["days"][2]["stats"]["full"]["wall_ms"], j["full"]["stats"]["wall_ms"]);
  EXPECT_EQ(j["exactness"]["pairs_compared"], 3 + 2 + 2);

  const auto& duck = j["peers"]["results"][0];
  EXPECT_TRUE(duck["rows_read"].is_null());
  EXPECT_EQ(duck["rows_used"], 100);
  EXPECT_EQ(duck["n"], 3);
  EXPECT_EQ(duck["stats"]["in_process_ms"]["n"], 3);
  const auto& startup = j["peers"]["results"][1];
  for (const char* key : {"in_process_ms", "rows_read", "rows_used", "groups", "total_quantity",
                          "ratio_vs_snapdelta_full"}) {
    EXPECT_TRUE(startup[key].is_null()) << key;
  }
}

TEST(JsonReport, RatiosWithoutADenominatorAreNull) {
  BenchResults r = sample_results();
  r.incremental = PipelineStats::from({sample("incremental", 0, 0, 1200, 0)});
  r.incremental.total_ms = r.incremental.wall_ms;
  r.full.peak_rss_kb = summarize({0});
  const nlohmann::ordered_json j = to_json(r);
  EXPECT_TRUE(j["speedup"].is_null());
  EXPECT_TRUE(j["memory_reduction_pct"].is_null());
  EXPECT_NE(render_markdown(r, {"c.svg", "", "", ""}).find("n/a"), std::string::npos);
}

TEST(MarkdownReport, DefinesItsTermsAndStatesSamplesAndNoise) {
  const std::string md = render_markdown(sample_results(), {"chart.svg", "chart.png", "", ""});
  for (const char* term :
       {"## Terms", "- **full**:", "- **incremental**:", "`checkpoint`:", "`inflate-all`:",
        "**wall time**", "**CPU time**", "**peak RSS**", "**Process floor**",
        "- **seed**:", "**Seed's method**", "**speed multiplier**", "- **n/a, not measured**"}) {
    EXPECT_NE(md.find(term), std::string::npos) << term;
  }
  EXPECT_LT(md.find("## Terms"), md.find("## Peers"));  // defined before it is used there
  EXPECT_NE(md.find("## How to read this report"), std::string::npos);
  EXPECT_NE(md.find("noisy"), std::string::npos);
  EXPECT_NE(md.find("side by side"), std::string::npos);
  EXPECT_NE(md.find("same 3 repeated pairs"), std::string::npos);
  EXPECT_NE(md.find("separate samples"), std::string::npos);
  // Medians carry their spread: the headline's full figure, the day table's day 1.
  EXPECT_NE(md.find("full 169 ms (160–269 ms, n=3)"), std::string::npos) << md.substr(0, 600);
  EXPECT_NE(md.find("| 1 | 2 | 1,100 | 100 | 105 ms (100–110 ms, n=2) |"), std::string::npos);
  EXPECT_NE(md.find("| 3 | 3 (the repeated pairs) |"), std::string::npos);
  // Not measured is said, not zero.
  EXPECT_NE(md.find("peak RSS of an idle `snapdelta --version`, not measured"), std::string::npos);
  EXPECT_NE(md.find("1.50 at the start and not measured at the end"), std::string::npos);
  EXPECT_NE(md.find("| duckdb 1.0 | incremental |"), std::string::npos);
  const size_t duck = md.find("| duckdb 1.0 | incremental |");
  const std::string duck_row = md.substr(duck, md.find('\n', duck) - duck);
  EXPECT_NE(duck_row.find("| n/a | 100 |"), std::string::npos) << duck_row;  // rows read, used
  // Both charts are linked.
  EXPECT_NE(md.find("](chart.svg)"), std::string::npos);
  EXPECT_NE(md.find("[chart.png](chart.png)"), std::string::npos);
  EXPECT_EQ(render_markdown(sample_results(), {"chart.svg", "", "", ""}).find("chart.png"),
            std::string::npos);
}

TEST(DayFigure, TimeAndPeakMemoryPanels) {
  const BenchResults r = sample_results();
  const Chart memory = day_memory_chart(r);
  ASSERT_EQ(memory.series.size(), 2u);
  ASSERT_EQ(memory.series[0].values.size(), 3u);
  EXPECT_NEAR(memory.series[0].values[2], 80000 / 1024.0, 1e-9);  // day K: the repeats' median
  EXPECT_EQ(memory.unit, "MiB");
  EXPECT_EQ(day_chart(r).series[0].values[2], 169);
  const std::string svg = render_day_figure(r);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("height=\"1080\""), std::string::npos);
  EXPECT_NE(svg.find("peak memory per run"), std::string::npos);
  EXPECT_NE(svg.find(">78.1 MiB<"), std::string::npos);  // the last full value, labelled
  EXPECT_EQ(std::count(svg.begin(), svg.end(), '<'), std::count(svg.begin(), svg.end(), '>'));
}

TEST(BenchOutputs, PngBesideTheSvgOrOneLineWhyNot) {
  TempDir dir;
  const BenchResults r = sample_results();
  const char* old_path = std::getenv("PATH");
  const std::string saved = old_path ? old_path : "";
  ::setenv("PATH", "/nonexistent", 1);
  std::ofstream(dir / "results_days.png") << "an older picture";
  const OutputFiles without = write_outputs(r, dir.path());
  ::setenv("PATH", saved.c_str(), 1);
  EXPECT_TRUE(without.png.empty());
  EXPECT_NE(without.png_note.find("rsvg-convert"), std::string::npos);
  EXPECT_EQ(without.png_note.find('\n'), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "results_days.png"));  // no stale PNG beside a new chart
  EXPECT_NE(summary(r, without).find("rsvg-convert"), std::string::npos);
  EXPECT_EQ(slurp(without.markdown).find("results_days.png"), std::string::npos);

  if (snapdelta::bench::find_on_path("rsvg-convert").empty()) {
    GTEST_SKIP() << "rsvg-convert missing (Debian: librsvg2-bin)";
  }
  const OutputFiles with = write_outputs(r, dir.path());
  EXPECT_TRUE(with.png_note.empty()) << with.png_note;
  ASSERT_EQ(with.png, dir / "results_days.png");
  EXPECT_EQ(slurp(with.png).substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_NE(slurp(with.markdown).find("](results_days.png)"), std::string::npos);
}
