// pattern_for_drop() of infer.h.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "job/date_format.h"
#include "job/drop_pattern.h"
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

std::string pattern_mismatch(const std::string& drop_path_or_pattern) {
  if (drop_path_or_pattern.find("{client}") != std::string::npos) return "";
  const std::filesystem::path path(drop_path_or_pattern);
  const std::string name = path.filename().string();
  const std::optional<DropPattern> pattern = DropPattern::compile(pattern_for_drop(name));
  if (!pattern) return fmt::format("{} does not match this pattern", name);
  const std::string client = std::filesystem::absolute(path).parent_path().filename().string();
  if (!std::any_of(name.begin(), name.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }))
    return fmt::format("{} does not match this pattern: its name has no number or date for {{day}}",
                       name);
  const std::optional<std::string> why = pattern->why_not(client + "/" + name);
  if (!why) return "";
  const std::string reason = why->substr(why->find(": ") + 2);
  return fmt::format("{} does not match this pattern: {}", name, reason);
}

}  // namespace snapdelta
