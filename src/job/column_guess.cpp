#include "job/column_guess.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <set>

#include "job/date_format.h"

namespace snapdelta {
namespace {

bool is_int(const std::string& v) {
  int64_t out = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() && end == v.data() + v.size();
}

// Fraction digits of a plain decimal, or nullopt when `v` is not one.
std::optional<size_t> fraction_digits(const std::string& v) {
  const size_t sign = v.starts_with("-") ? 1 : 0;
  const size_t dot = v.find('.');
  if (dot == std::string::npos) return is_int(v) ? std::optional<size_t>(0) : std::nullopt;
  const std::string whole = v.substr(sign, dot - sign);
  const std::string fraction = v.substr(dot + 1);
  auto digits = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.size() + fraction.size() == 0 || whole.size() > 18 || !digits(whole) ||
      !digits(fraction))
    return std::nullopt;
  return fraction.size();
}

std::optional<ColumnType> decimal_type(const std::vector<std::string>& values) {
  size_t scale = 0;
  for (const std::string& v : values) {
    const std::optional<size_t> digits = fraction_digits(v);
    if (!digits || *digits > kMaxDecimalScale) return std::nullopt;
    scale = std::max(scale, *digits);
  }
  return ColumnType{ColumnKind::decimal, "", static_cast<uint8_t>(scale)};
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
