// BarChart: a hand-written SVG chart of horizontal bars, one per case: the bar is the median, a
// whisker spans min–max, and each target of the case is a vertical tick across its row (red when
// missed, green when met), labelled with its goal. Contract: render_bar_panels() returns a
// complete standalone SVG document (starts with "<svg"), the panels stacked top to bottom, each
// with a title, a subtitle, a legend in its own band between the subtitle and the plot (never
// over a bar, whisker or target), case labels left of the plot, the value right of each row, a
// nice x axis from 0 covering every bar, whisker and target, and all text XML-escaped. Each bar's
// group carries data-name="<label>"; each target tick data-target="<label>" and data-met="yes" /
// "no" / "n/a". Empty panels still render. A pure function: the same input gives the same bytes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bench/stats.h"

namespace snapdelta::bench {

struct BarTarget {
  double value = 0;         // in the chart's unit
  std::string label;        // "≤ 1/10 of full", ...
  std::optional<bool> met;  // nullopt: not judged
};

struct Bar {
  std::string label;
  std::string color = "#1f5fa8";
  Summary value;  // median, min, max in the chart's unit; n = 0: not measured
  std::vector<BarTarget> targets;
};

struct BarChart {
  std::string title;
  std::string subtitle;
  std::string x_label;
  std::string unit;  // after values ("ms", "MiB", "clients/s")
  std::vector<Bar> bars;
};

std::string render_bar_panels(const std::vector<BarChart>& panels);

}  // namespace snapdelta::bench
