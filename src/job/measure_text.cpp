#include "job/measure_text.h"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "common/error.h"

namespace snapdelta {
namespace {

constexpr std::array<std::pair<std::string_view, MeasureKind>, 4> kFunctions = {{
    {"sum", MeasureKind::sum},
    {"count", MeasureKind::count},
    {"min", MeasureKind::min},
    {"max", MeasureKind::max},
}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

ParsedMeasure parse_measure(std::string_view text) {
  const size_t open = text.find('(');
  if (open != std::string_view::npos && text.ends_with(")")) {
    const std::string_view function = trim(text.substr(0, open));
    const std::string_view column = trim(text.substr(open + 1, text.size() - open - 2));
    for (const auto& [name, kind] : kFunctions) {
      if (function != name) continue;
      if (column.empty() && kind == MeasureKind::count) return {MeasureKind::count_rows, "", ""};
      if (!column.empty()) return {kind, std::string(column), ""};
    }
  }
  return {MeasureKind::count_rows, "",
          fmt::format("expected a measure (sum(col), count(), count(col), min(col) or "
                      "max(col)), found {}",
                      quote_whole(text))};
}

std::string measure_text(MeasureKind kind, std::string_view column) {
  switch (kind) {
    case MeasureKind::sum:
      return fmt::format("sum({})", column);
    case MeasureKind::count_rows:
      return "count()";
    case MeasureKind::count:
      return fmt::format("count({})", column);
    case MeasureKind::min:
      return fmt::format("min({})", column);
    case MeasureKind::max:
      return fmt::format("max({})", column);
  }
  return "count()";
}

}  // namespace snapdelta
