#include "job/column_guess.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <set>

#include "common/number_text.h"
#include "job/date_format.h"

namespace snapdelta {
namespace {

bool is_int(const std::string& v) {
  int64_t out = 0;
  return parse_int_text(v, &out);
}

// The fraction digits of a decimal-shaped text: those after its '.', 0 without one.
size_t fraction_digits(const std::string& v) {
  const size_t dot = v.find('.');
  return dot == std::string::npos ? 0 : v.size() - dot - 1;
}

// decimal(s), s the most fraction digits seen, when the parser reads every value as one.
std::optional<ColumnType> decimal_type(const std::vector<std::string>& values) {
  size_t scale = 0;
  for (const std::string& v : values) scale = std::max(scale, fraction_digits(v));
  if (scale > kMaxDecimalScale) return std::nullopt;
  const auto s = static_cast<uint8_t>(scale);
  int64_t out = 0;
  if (!std::all_of(values.begin(), values.end(),
                   [&](const std::string& v) { return parse_decimal_text(v, s, &out); }))
    return std::nullopt;
  return ColumnType{ColumnKind::decimal, "", s};
}

std::optional<ColumnType> date_type(const std::vector<std::string>& values) {
  constexpr std::array<const char*, 7> kFormats = {"%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%m/%d/%Y",
                                                   "%d.%m.%Y", "%d-%m-%Y", "%m-%d-%Y"};
  std::optional<ColumnType> found;
  for (const char* text : kFormats) {
    const std::optional<DateFormat> format = DateFormat::compile(text);
    const bool reads_all = std::all_of(values.begin(), values.end(),
                                       [&](const std::string& v) { return format->parse(v); });
    if (!reads_all) continue;
    if (found) return std::nullopt;  // two formats read every value: ambiguous
    found = ColumnType{ColumnKind::date, text, 0};
  }
  return found;
}

}  // namespace

ColumnGuess guess_column(const std::vector<std::string>& values) {
  ColumnGuess out;
  std::vector<std::string> present;
  for (const std::string& v : values) {
    if (v.empty())
      out.saw_null = true;
    else
      present.push_back(v);
  }
  out.values = present.size();
  out.distinct = std::set<std::string>(present.begin(), present.end()).size();
  if (present.empty()) return out;
  if (std::all_of(present.begin(), present.end(), is_int)) {
    out.type = {ColumnKind::int64, "", 0};
  } else if (std::optional<ColumnType> d = decimal_type(present)) {
    out.type = *d;
  } else if (std::optional<ColumnType> d = date_type(present)) {
    out.type = *d;
  }
  return out;
}

}  // namespace snapdelta
