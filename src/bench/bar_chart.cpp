#include "bench/bar_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "bench/svg_chart.h"

namespace snapdelta::bench {
namespace {

constexpr double kWidth = 960;
constexpr double kLeft = 300, kRight = 150, kTop = 104, kRow = 36, kBottom = 56;
constexpr const char* kFont = "DejaVu Sans, Helvetica, Arial, sans-serif";
constexpr const char* kMet = "#2e8b57";
constexpr const char* kMissed = "#c0392b";
constexpr const char* kUnjudged = "#777777";

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

std::string number(double v) {
  if (v >= 100) return fmt::format("{:.0f}", v);
  if (v >= 10) return fmt::format("{:.1f}", v);
  return fmt::format("{:.2f}", v);
}

double panel_height(const BarChart& c) {
  return kTop + kRow * static_cast<double>(std::max<size_t>(c.bars.size(), 1)) + kBottom;
}

const char* met_color(const std::optional<bool>& met) {
  return !met ? kUnjudged : *met ? kMet : kMissed;
}

// The largest value to show: every median, whisker end and target.
double largest(const BarChart& c) {
  double m = 0;
  for (const auto& b : c.bars) {
    if (b.value.n > 0) m = std::max({m, b.value.median, b.value.max});
    for (const auto& t : b.targets) m = std::max(m, t.value);
  }
  return m;
}

struct Scale {
  Axis axis;
  double x(double v) const { return kLeft + (kWidth - kLeft - kRight) * v / axis.max; }
};

std::string heading(const BarChart& c) {
  std::string svg = fmt::format("<title>{}</title>\n", escape(c.title));
  svg +=
      fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", kWidth, panel_height(c));
  svg += fmt::format("<text x=\"{}\" y=\"28\" font-size=\"18\" font-weight=\"bold\">{}</text>\n",
                     kLeft - 280, escape(c.title));
  svg += fmt::format("<text x=\"{}\" y=\"50\" fill=\"#555\">{}</text>\n", kLeft - 280,
                     escape(c.subtitle));
  return svg;
}

// The legend's own band, between the subtitle and the first row.
std::string legend() {
  const double y = 76;
  std::string svg = "<g class=\"legend\">\n";
  svg +=
      fmt::format("<rect x=\"20\" y=\"{}\" width=\"22\" height=\"12\" fill=\"#1f5fa8\"/>", y - 10);
  svg += fmt::format("<text x=\"48\" y=\"{}\">median</text>\n", y);
  svg += fmt::format("<line x1=\"120\" y1=\"{0}\" x2=\"160\" y2=\"{0}\" stroke=\"#222\"/>", y - 4);
  svg += fmt::format("<text x=\"168\" y=\"{}\">min–max of the samples</text>\n", y);
  svg += fmt::format(
      "<line x1=\"350\" y1=\"{}\" x2=\"350\" y2=\"{}\" stroke=\"{}\" "
      "stroke-width=\"3\"/>",
      y - 12, y + 2, kMet);
  svg += fmt::format("<text x=\"358\" y=\"{}\">target, met</text>\n", y);
  svg += fmt::format(
      "<line x1=\"460\" y1=\"{}\" x2=\"460\" y2=\"{}\" stroke=\"{}\" "
      "stroke-width=\"3\"/>",
      y - 12, y + 2, kMissed);
  svg += fmt::format("<text x=\"468\" y=\"{}\">target, missed</text>\n", y);
  return svg + "</g>\n";
}

std::string x_axis(const BarChart& c, const Scale& s) {
  const double bottom = panel_height(c) - kBottom;
  std::string svg = "<g class=\"x-axis\">\n";
  for (double v = 0; v <= s.axis.max + s.axis.step / 2; v += s.axis.step) {
    const double px = s.x(v);
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#e4e4e4\"/>", px,
        kTop - 6, bottom);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", px,
                       bottom + 18, escape(fmt::format("{:g}", v)));
  }
  svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#333\"/>\n", kLeft,
                     kTop - 6, bottom);
  svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                     (kLeft + kWidth - kRight) / 2, bottom + 40, escape(c.x_label));
  return svg + "</g>\n";
}

std::string target_tick(const BarTarget& t, const Scale& s, double mid) {
  return fmt::format(
      "<line data-target=\"{}\" data-met=\"{}\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" "
      "y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"3\"><title>target {}: {}</title></line>\n",
      escape(t.label),
      !t.met   ? "n/a"
      : *t.met ? "yes"
               : "no",
      s.x(t.value), mid - 15, s.x(t.value), mid + 15, met_color(t.met), escape(t.label),
      number(t.value));
}

std::string bar_row(const Bar& b, const Scale& s, double top, const std::string& unit) {
  const double mid = top + kRow / 2;
  std::string svg = fmt::format("<g class=\"bar\" data-name=\"{}\">\n", escape(b.label));
  svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", kLeft - 8,
                     mid + 4, escape(b.label));
  if (b.value.n > 0) {
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"16\" fill=\"{}\"><title>{}: median "
        "{} {} (min {}, max {}, n={})</title></rect>\n",
        kLeft, mid - 8, s.x(b.value.median) - kLeft, b.color, escape(b.label),
        number(b.value.median), escape(unit), number(b.value.min), number(b.value.max), b.value.n);
    svg += fmt::format(
        "<path d=\"M{0:.1f} {1:.1f}v8M{0:.1f} {2:.1f}H{3:.1f}M{3:.1f} {1:.1f}v8\" stroke=\"#222\" "
        "fill=\"none\"/>\n",
        s.x(b.value.min), mid - 4, mid, s.x(b.value.max));
  }
  for (const auto& t : b.targets) {
    svg += target_tick(t, s, mid);
  }
  const std::string value =
      b.value.n > 0 ? fmt::format("{} {}", number(b.value.median), unit) : "not measured";
  // In a column of its own right of the plot: never over a bar, whisker or tick.
  svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#333\">{}</text>\n",
                     kWidth - kRight + 12, mid + 4, escape(value));
  return svg + "</g>\n";
}

std::string panel_body(const BarChart& c) {
  const Scale s{nice_axis(largest(c))};
  std::string svg = heading(c) + legend() + x_axis(c, s);
  for (size_t i = 0; i < c.bars.size(); ++i)
    svg += bar_row(c.bars[i], s, kTop + kRow * static_cast<double>(i), c.unit);
  return svg;
}

}  // namespace

std::string render_bar_panels(const std::vector<BarChart>& panels) {
  double height = 0;
  for (const auto& p : panels) height += panel_height(p);
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} "
      "{1}\" font-family=\"{2}\" font-size=\"13\">\n",
      kWidth, std::max(height, 1.0), kFont);
  double y = 0;
  for (const auto& p : panels) {
    svg += fmt::format("<svg y=\"{}\" width=\"{}\" height=\"{}\">\n", y, kWidth, panel_height(p));
    svg += panel_body(p) + "</svg>\n";
    y += panel_height(p);
  }
  return svg + "</svg>\n";
}

}  // namespace snapdelta::bench
