// SvgChart: a hand-written SVG line chart with a bar series on a second axis — here, the
// day-by-day figure: time per run of both pipelines (lines with markers, left axis) over the rows
// in each day's file (bars, right axis), and below it their peak memory per run. Contract:
// render_svg() returns a complete standalone SVG document (starts with "<svg") with a title, axis
// labels, nice ticks on both y axes, one tick per x value (thinned when crowded), a legend naming
// every series, and all text XML-escaped. Empty or all-zero data still renders. render_panels()
// stacks several such charts, top to bottom, in one document of the same width. The output is a
// pure function of the Chart: the same input gives the same bytes.
#pragma once

#include <string>
#include <vector>

#include "bench/bench_results.h"

namespace snapdelta::bench {

struct ChartSeries {
  std::string name;
  std::string color;
  bool square_markers = false;
  std::vector<double> values;  // one per x
};

struct Chart {
  std::string title;
  std::string subtitle;
  std::string x_label;
  std::string y_label;
  std::string y2_label;
  std::string unit = "ms";     // after values in tooltips and end labels
  std::string x_name = "day";  // before an x value in tooltips
  std::vector<int> x;
  std::vector<ChartSeries> series;  // left axis
  std::string bars_name;
  std::vector<double> bars;  // right axis, one per x (empty: no bars, no right axis)
};

std::string render_svg(const Chart& chart);
std::string render_panels(const std::vector<Chart>& panels);

// The day-by-day chart of a bench: full vs incremental wall ms per day (medians), rows in the file
// as bars.
Chart day_chart(const BenchResults& results);
// The same days' peak memory (RSS, MiB, medians) of both pipelines.
Chart day_memory_chart(const BenchResults& results);
// Both, time above memory: what results_days.svg holds.
std::string render_day_figure(const BenchResults& results);

// Tick step and axis maximum for 0..max with about `target` ticks (steps of 1, 2, 2.5, 5 x 10^n).
struct Axis {
  double step = 1;
  double max = 1;
};
Axis nice_axis(double max_value, int target = 5);

}  // namespace snapdelta::bench
