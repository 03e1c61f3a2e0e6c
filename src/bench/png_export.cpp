#include "bench/png_export.h"

#include <filesystem>

#include "bench/child_runner.h"
#include "common/error.h"

namespace snapdelta::bench {

std::string svg_to_png(const std::string& svg, const std::string& png) {
  std::error_code ec;
  std::filesystem::remove(png, ec);  // never leave an older picture beside a newer chart
  const std::string converter = find_on_path("rsvg-convert");
  if (converter.empty()) {
    return "chart PNG not written: rsvg-convert not found (Debian: apt-get install librsvg2-bin)";
  }
  try {
    const ChildResult r = run_child({converter, "--background-color=white", "-o", png, svg});
    if (r.ok() && std::filesystem::is_regular_file(png, ec)) return "";
    std::filesystem::remove(png, ec);
    return "chart PNG not written: rsvg-convert failed: " + r.failure();
  } catch (const Error& e) {
    std::filesystem::remove(png, ec);
    return std::string("chart PNG not written: ") + e.what();
  }
}

}  // namespace snapdelta::bench
