// Tests for bench's report writers on fixed, hand-made inputs (no process is run): the SVG chart
// renders byte for byte as its golden files in tests/golden/ (regenerate them deliberately with
// SNAPDELTA_UPDATE_GOLDEN=1 after a change that is meant to alter the picture).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "bench/svg_chart.h"

namespace fs = std::filesystem;
using namespace snapdelta::bench;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

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
