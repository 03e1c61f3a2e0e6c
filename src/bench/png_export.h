// PngExport: the chart as a PNG beside its SVG, drawn by rsvg-convert (Debian: librsvg2-bin), for
// viewers that show no SVG.
// Contract: svg_to_png() writes `png` from `svg` on a white background and returns "" — or, when
// rsvg-convert is not on PATH or fails, removes any older `png` and returns ONE line saying why the
// PNG is missing. It never throws for that: a missing PNG must not fail a benchmark.
#pragma once

#include <string>

namespace snapdelta::bench {

std::string svg_to_png(const std::string& svg, const std::string& png);

}  // namespace snapdelta::bench
