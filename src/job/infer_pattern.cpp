// pattern_for_drop() of infer.h.
#include <cctype>
#include <filesystem>

#include "job/date_format.h"
#include "job/infer.h"

namespace snapdelta {
namespace {

// Replaces the date or number in a file name by its placeholder.
std::string name_pattern(const std::string& name) {
  for (const char* format : {"%Y-%m-%d", "%Y%m%d"}) {
    const DateFormat date = *DateFormat::compile(format);
    for (size_t at = 0; at + date.width() <= name.size(); ++at) {
      const bool bounded = (at == 0 || !std::isdigit(static_cast<unsigned char>(name[at - 1]))) &&
                           (at + date.width() == name.size() ||
                            !std::isdigit(static_cast<unsigned char>(name[at + date.width()])));
      if (bounded && date.parse(name.substr(at, date.width())))
        return name.substr(0, at) + "{date:" + format + "}" + name.substr(at + date.width());
    }
  }
  size_t end = name.size();
  while (end > 0 && !std::isdigit(static_cast<unsigned char>(name[end - 1]))) --end;
  if (end == 0) {
    const size_t dot = std::min(name.find('.'), name.size());
    return name.substr(0, dot) + "_{day}" + name.substr(dot);
  }
  size_t begin = end;
  while (begin > 0 && std::isdigit(static_cast<unsigned char>(name[begin - 1]))) --begin;
  return name.substr(0, begin) + "{day}" + name.substr(end);
}

}  // namespace

std::string pattern_for_drop(const std::string& drop_path_or_pattern) {
  if (drop_path_or_pattern.find("{client}") != std::string::npos) return drop_path_or_pattern;
  const std::filesystem::path path(drop_path_or_pattern);
  return "{client}/" + name_pattern(path.filename().string());
}

}  // namespace snapdelta
