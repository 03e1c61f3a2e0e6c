#include "bench/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace snapdelta::bench {
namespace {

constexpr double kWidth = 960, kHeight = 540;
constexpr double kLeft = 90, kRight = 100, kTop = 84, kBottom = 70;
constexpr const char* kFont = "DejaVu Sans, Helvetica, Arial, sans-serif";

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// 1234567 -> "1.23M", 12000 -> "12k", 950 -> "950".
std::string short_count(double v) {
  const double a = std::fabs(v);
  auto trimmed = [](double x, const char* suffix) {
    std::string s = fmt::format("{:.2f}", x);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s + suffix;
  };
  if (a >= 1e6) return trimmed(v / 1e6, "M");
  if (a >= 1e3) return trimmed(v / 1e3, "k");
  return trimmed(v, "");
}

// Tick labels: as many decimals as the value needs, at most 3 ("2.5", "10", "0.25").
std::string tick_label(double v) {
  std::string s = fmt::format("{:.3f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string ms_label(double v) {
  if (v >= 100 || v == std::floor(v)) return fmt::format("{:.0f}", v);
  if (v >= 10) return fmt::format("{:.1f}", v);
  return fmt::format("{:.2f}", v);
}

// A value as its unit shows it: ms as above, MiB to 0.1 like the report.
std::string value_label(double v, const std::string& unit) {
  return unit == "MiB" ? fmt::format("{:.1f}", v) : ms_label(v);
}

}  // namespace

Axis nice_axis(double max_value, int target) {
  if (!(max_value > 0) || !std::isfinite(max_value)) return {0.2, 1.0};
  const double raw = max_value / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (raw <= m * magnitude * (1 + 1e-9)) {
      step = m * magnitude;
      break;
    }
  }
  Axis axis;
  axis.step = step;
  axis.max = std::ceil(max_value / step - 1e-9) * step;
  if (axis.max < max_value * 1.04) axis.max += step;  // headroom for markers and labels
  return axis;
}

namespace {

// Where things go: the plot area inside the margins, one x slot per value, both y axes.
struct Frame {
  double plot_w = kWidth - kLeft - kRight;
  double plot_h = kHeight - kTop - kBottom;
  double bottom = kTop + plot_h;
  double right = kLeft + plot_w;
  size_t n = 0;
  double slot = plot_w;
  Axis y, y2;
  bool has_bars = false;

  explicit Frame(const Chart& c) : n(c.x.size()), has_bars(!c.bars.empty()) {
    if (n > 0) slot = plot_w / static_cast<double>(n);
    double max_y = 0;
    for (const auto& s : c.series) {
      for (double v : s.values) max_y = std::max(max_y, v);
    }
    y = nice_axis(max_y);
    y2 = nice_axis(has_bars ? *std::max_element(c.bars.begin(), c.bars.end()) : 0);
  }
  double x_at(size_t i) const { return kLeft + (static_cast<double>(i) + 0.5) * slot; }
  double y_at(double v) const { return bottom - v / y.max * plot_h; }
  double y2_at(double v) const { return bottom - v / y2.max * plot_h; }
};

std::string open_document(double height) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} "
      "{1}\" font-family=\"{2}\" font-size=\"13\">\n",
      kWidth, height, kFont);
}

// The title element, the white background, the title and the subtitle.
std::string heading(const Chart& c) {
  std::string svg = fmt::format("<title>{}</title>\n", escape(c.title));
  svg += fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", kWidth, kHeight);
  svg += fmt::format(
      "<text x=\"{}\" y=\"30\" text-anchor=\"middle\" font-size=\"19\" font-weight=\"bold\" "
      "fill=\"#222\">{}</text>\n",
      kWidth / 2, escape(c.title));
  if (!c.subtitle.empty()) {
    svg += fmt::format(
        "<text x=\"{}\" y=\"52\" text-anchor=\"middle\" font-size=\"13\" fill=\"#555\">{}</text>\n",
        kWidth / 2, escape(c.subtitle));
  }
  return svg;
}

std::string line(double x1, double y1, double x2, double y2, const char* stroke) {
  return fmt::format(
      "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\"/>\n", x1, y1, x2,
      y2, stroke);
}

// Horizontal grid lines and the left axis ticks.
std::string y_axis(const Frame& f) {
  std::string svg = "<g class=\"y-axis\">\n";
  for (double v = 0; v <= f.y.max + f.y.step / 2; v += f.y.step) {
    const double py = f.y_at(v);
    svg += line(kLeft, py, f.right, py, "#e4e4e4");
    svg += line(kLeft - 5, py, kLeft, py, "#333");
    svg +=
        fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#333\">{}</text>\n",
                    kLeft - 8, py + 4.5, tick_label(v));
  }
  return svg + "</g>\n";
}

// The bars (drawn under the lines) and their right axis; nothing without bars.
std::string bars(const Chart& c, const Frame& f) {
  if (!f.has_bars) return "";
  std::string svg =
      fmt::format("<g class=\"series\" data-name=\"{}\" fill=\"#cfd9e6\">\n", escape(c.bars_name));
  const double bar_w = f.slot * 0.56;
  for (size_t i = 0; i < f.n && i < c.bars.size(); ++i) {
    const double top = f.y2_at(c.bars[i]);
    svg += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"><title>day {}: {} "
        "rows</title></rect>\n",
        f.x_at(i) - bar_w / 2, top, bar_w, f.bottom - top, c.x[i], short_count(c.bars[i]));
  }
  svg += "</g>\n<g class=\"y2-axis\">\n";
  for (double v = 0; v <= f.y2.max + f.y2.step / 2; v += f.y2.step) {
    const double py = f.y2_at(v);
    svg += line(f.right, py, f.right + 5, py, "#333");
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#333\">{}</text>\n", f.right + 8,
                       py + 4.5, short_count(v));
  }
  svg += line(f.right, kTop, f.right, f.bottom, "#333");
  return svg + "</g>\n";
}

// The left and bottom axis lines, and one x tick per value (every k-th when crowded, and the last).
std::string x_axis(const Chart& c, const Frame& f) {
  std::string svg = line(kLeft, kTop, kLeft, f.bottom, "#333");
  svg += line(kLeft, f.bottom, f.right, f.bottom, "#333");
  const size_t every = f.n > 31 ? (f.n + 29) / 30 : 1;
  svg += "<g class=\"x-axis\">\n";
  for (size_t i = 0; i < f.n; ++i) {
    if (i % every != 0 && i + 1 != f.n) continue;
    svg += line(f.x_at(i), f.bottom, f.x_at(i), f.bottom + 5, "#333");
    svg += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#333\">{}</text>\n",
        f.x_at(i), f.bottom + 20, c.x[i]);
  }
  return svg + "</g>\n";
}

std::string axis_labels(const Chart& c, const Frame& f) {
  std::string svg = fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"14\" "
      "fill=\"#222\">{}</text>\n",
      kLeft + f.plot_w / 2, kHeight - 22, escape(c.x_label));
  svg += fmt::format(
      "<text transform=\"translate({:.1f},{:.1f}) rotate(-90)\" text-anchor=\"middle\" "
      "font-size=\"14\" fill=\"#222\">{}</text>\n",
      24.0, kTop + f.plot_h / 2, escape(c.y_label));
  if (f.has_bars) {
    svg += fmt::format(
        "<text transform=\"translate({:.1f},{:.1f}) rotate(90)\" text-anchor=\"middle\" "
        "font-size=\"14\" fill=\"#222\">{}</text>\n",
        kWidth - 22, kTop + f.plot_h / 2, escape(c.y2_label));
  }
  return svg;
}

// A circle or a square marker at (px, py); `inner` goes inside the element (a tooltip) or is "".
std::string marker(const ChartSeries& s, double px, double py, const std::string& inner) {
  if (s.square_markers) {
    return fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"9\" height=\"9\" fill=\"{}\" stroke=\"#fff\" "
        "stroke-width=\"1.2\">{}</rect>\n",
        px - 4.5, py - 4.5, s.color, inner);
  }
  return fmt::format(
      "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"{}\" stroke=\"#fff\" "
      "stroke-width=\"1.2\">{}</circle>\n",
      px, py, s.color, inner);
}

// The value at the last x, above the marker for the top series and below for the others, on a
// white halo so that lines never cross the text.
std::string end_label(const Chart& c, const Frame& f, const ChartSeries& s) {
  if (f.n == 0 || s.values.size() < f.n) return "";
  const double v = s.values[f.n - 1];
  bool top = true;
  for (const auto& other : c.series) {
    if (other.values.size() >= f.n && other.values[f.n - 1] > v) top = false;
  }
  return fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" font-size=\"12\" "
      "font-weight=\"bold\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"4\" "
      "paint-order=\"stroke\" stroke-linejoin=\"round\">{} {}</text>\n",
      f.x_at(f.n - 1) - 8, f.y_at(v) + (top ? -10 : 20), s.color, value_label(v, c.unit), c.unit);
}

// One series: its line, a marker with a tooltip per value, and its last value labelled.
std::string series(const Chart& c, const Frame& f, const ChartSeries& s) {
  std::string svg = fmt::format("<g class=\"series\" data-name=\"{}\">\n", escape(s.name));
  std::string points;
  for (size_t i = 0; i < f.n && i < s.values.size(); ++i) {
    points +=
        fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", f.x_at(i), f.y_at(s.values[i]));
  }
  svg += fmt::format(
      "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" "
      "stroke-linejoin=\"round\"/>\n",
      points, s.color);
  for (size_t i = 0; i < f.n && i < s.values.size(); ++i) {
    const std::string tip =
        fmt::format("<title>{} {} {}: {} {}</title>", escape(s.name), escape(c.x_name), c.x[i],
                    value_label(s.values[i], c.unit), c.unit);
    svg += marker(s, f.x_at(i), f.y_at(s.values[i]), tip);
  }
  return svg + end_label(c, f, s) + "</g>\n";
}

// The legend, top left inside the plot on a white box: every series, then the bars.
std::string legend(const Chart& c, const Frame& f) {
  const double lx = kLeft + 14, ly = kTop + 12;
  const size_t entries = c.series.size() + (f.has_bars ? 1 : 0);
  std::string svg = fmt::format(
      "<g class=\"legend\">\n<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"250\" height=\"{:.1f}\" "
      "fill=\"#ffffff\" fill-opacity=\"0.92\" stroke=\"#bbb\"/>\n",
      lx, ly, 10.0 + 22.0 * static_cast<double>(entries));
  double ey = ly + 21;
  for (const auto& s : c.series) {
    svg += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
        "stroke-width=\"2.5\"/>\n",
        lx + 10, ey - 4, lx + 40, ey - 4, s.color);
    if (s.square_markers) {
      svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"9\" height=\"9\" fill=\"{}\"/>\n",
                         lx + 20.5, ey - 8.5, s.color);
    } else {
      svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"{}\"/>\n", lx + 25,
                         ey - 4, s.color);
    }
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#222\">{}</text>\n", lx + 50, ey,
                       escape(s.name));
    ey += 22;
  }
  if (f.has_bars) {
    svg += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"30\" height=\"12\" fill=\"#cfd9e6\"/>\n", lx + 10,
        ey - 11);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#222\">{}</text>\n", lx + 50, ey,
                       escape(c.bars_name));
  }
  return svg + "</g>\n";
}

// Everything inside one chart's <svg> element, back to front.
std::string chart_body(const Chart& c) {
  const Frame f(c);
  std::string svg = heading(c) + y_axis(f) + bars(c, f) + x_axis(c, f) + axis_labels(c, f);
  for (const auto& s : c.series) svg += series(c, f, s);
  return svg + legend(c, f);
}

}  // namespace

std::string render_svg(const Chart& c) {
  return open_document(kHeight) + chart_body(c) + "</svg>\n";
}

std::string render_panels(const std::vector<Chart>& panels) {
  std::string svg =
      open_document(kHeight * static_cast<double>(std::max<size_t>(panels.size(), 1)));
  for (size_t i = 0; i < panels.size(); ++i) {
    svg += fmt::format("<svg y=\"{}\" width=\"{}\" height=\"{}\">\n",
                       kHeight * static_cast<double>(i), kWidth, kHeight);
    svg += chart_body(panels[i]) + "</svg>\n";
  }
  return svg + "</svg>\n";
}

namespace {

// Which samples each day's figures are: the median of how many runs, day K being the repeated
// pairs.
std::string samples_note(const Conditions& c) {
  if (c.day <= 1) return fmt::format("median of the {} repeated pairs", c.repeat);
  return fmt::format("median of {} per day; day {}: of the {} repeated pairs", c.day_runs, c.day,
                     c.repeat);
}

ChartSeries full_series() { return {"full (rebuild from the file)", "#1f5fa8", false, {}}; }
ChartSeries incremental_series() { return {"incremental (new rows only)", "#e8710a", true, {}}; }

}  // namespace

Chart day_chart(const BenchResults& r) {
  Chart c;
  c.title = fmt::format("{}: full vs incremental, day by day", r.conditions.client);
  c.subtitle = fmt::format("whole-process wall time per run ({}); incremental on day d-1's state",
                           samples_note(r.conditions));
  c.x_label = "day";
  c.y_label = "time per run (ms)";
  c.y2_label = "rows in the day's file";
  c.bars_name = "rows in the file (right axis)";
  ChartSeries full = full_series(), incr = incremental_series();
  for (const auto& d : r.days) {
    c.x.push_back(d.day);
    full.values.push_back(d.full.wall_ms.median);
    incr.values.push_back(d.incremental.wall_ms.median);
    c.bars.push_back(static_cast<double>(d.full.last().rows_in_file));
  }
  c.series = {std::move(full), std::move(incr)};
  return c;
}

Chart day_memory_chart(const BenchResults& r) {
  Chart c;
  c.title = fmt::format("{}: peak memory per run, day by day", r.conditions.client);
  const auto& floor = r.conditions.process_floor_rss_kb;
  c.subtitle = fmt::format(
      "peak RSS of each run's process ({}); idle snapdelta process: {}", samples_note(r.conditions),
      floor ? fmt::format("{:.1f} MiB", static_cast<double>(*floor) / 1024.0) : "not measured");
  c.x_label = "day";
  c.y_label = "peak RSS per run (MiB)";
  c.unit = "MiB";
  ChartSeries full = full_series(), incr = incremental_series();
  for (const auto& d : r.days) {
    c.x.push_back(d.day);
    full.values.push_back(d.full.peak_rss_kb.median / 1024.0);
    incr.values.push_back(d.incremental.peak_rss_kb.median / 1024.0);
  }
  c.series = {std::move(full), std::move(incr)};
  return c;
}

std::string render_day_figure(const BenchResults& r) {
  return render_panels({day_chart(r), day_memory_chart(r)});
}

}  // namespace snapdelta::bench
