#include "job/date_format.h"

#include <fmt/format.h>

#include "common/date.h"
#include "common/error.h"

namespace snapdelta {
namespace {

bool leap(int32_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

uint32_t month_days(int32_t y, uint32_t m) {
  static constexpr uint8_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[m - 1] + (m == 2 && leap(y) ? 1 : 0);
}

struct Civil {
  int32_t year;
  uint32_t month;
  uint32_t day;
};

// Howard Hinnant's civil_from_days (days since 1970-01-01 to year, month, day).
Civil civil_from_days(int32_t z) {
  z += 719468;
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const uint32_t doe = static_cast<uint32_t>(z - era * 146097);
  const uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const uint32_t mp = (5 * doy + 2) / 153;
  const uint32_t d = doy - (153 * mp + 2) / 5 + 1;
  const uint32_t m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int32_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

// Reads `width` decimal digits at text[at]; nullopt if any is not a digit.
std::optional<uint32_t> digits(std::string_view text, size_t at, size_t width) {
  uint32_t v = 0;
  for (size_t i = at; i < at + width; ++i) {
    const unsigned d = static_cast<unsigned char>(text[i]) - unsigned{'0'};
    if (d > 9) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

constexpr const char* kExpected =
    "expected a date format of %Y, %m, %d or %j, %% and literal text, with %Y and either %m and "
    "%d or %j";

}  // namespace

std::string DateFormat::problem(std::string_view format) {
  int year = 0, month = 0, day = 0, yday = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    const char f = i + 1 < format.size() ? format[i + 1] : '\0';
    switch (f) {
      case 'Y':
        ++year;
        break;
      case 'm':
        ++month;
        break;
      case 'd':
        ++day;
        break;
      case 'j':
        ++yday;
        break;
      case '%':
        break;
      default: {
        const std::string_view field = format.substr(i, f ? 2 : 1);
        if (field == format) return fmt::format("{}, found {}", kExpected, quote_whole(field));
        return fmt::format("{}, found {} in {}", kExpected, quote_whole(field),
                           quote_whole(format));
      }
    }
    ++i;
  }
  const bool by_month = month == 1 && day == 1 && yday == 0;
  const bool by_yday = month == 0 && day == 0 && yday == 1;
  if (year == 1 && (by_month || by_yday)) return "";
  return fmt::format("{}, found {}", kExpected, quote_whole(format));
}

std::optional<DateFormat> DateFormat::compile(std::string_view format) {
  if (!problem(format).empty()) return std::nullopt;
  DateFormat out;
  out.text_ = std::string(format);
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || format[i + 1] == '%') {
      out.parts_.push_back({Field::literal, format[i]});
      out.width_ += 1;
      i += format[i] == '%' ? 1 : 0;
      continue;
    }
    const char f = format[++i];
    const Field field = f == 'Y'   ? Field::year
                        : f == 'm' ? Field::month
                        : f == 'd' ? Field::day
                                   : Field::day_of_year;
    out.parts_.push_back({field, '\0'});
    out.width_ += field == Field::year ? 4 : field == Field::day_of_year ? 3 : 2;
  }
  return out;
}

std::optional<int32_t> DateFormat::parse(std::string_view text) const {
  if (text.size() != width_) return std::nullopt;
  uint32_t year = 0, month = 0, day = 0, yday = 0;
  size_t at = 0;
  for (const Part& p : parts_) {
    if (p.field == Field::literal) {
      if (text[at++] != p.literal) return std::nullopt;
      continue;
    }
    const size_t w = p.field == Field::year ? 4 : p.field == Field::day_of_year ? 3 : 2;
    const std::optional<uint32_t> v = digits(text, at, w);
    if (!v) return std::nullopt;
    (p.field == Field::year    ? year
     : p.field == Field::month ? month
     : p.field == Field::day   ? day
                               : yday) = *v;
    at += w;
  }
  const int32_t y = static_cast<int32_t>(year);
  if (y < 1) return std::nullopt;
  if (yday != 0) {
    if (yday > (leap(y) ? 366u : 365u)) return std::nullopt;
    return days_from_civil(y, 1, 1) + static_cast<int32_t>(yday) - 1;
  }
  if (month < 1 || month > 12 || day < 1 || day > month_days(y, month)) return std::nullopt;
  return days_from_civil(y, month, day);
}

std::string DateFormat::format(int32_t days) const {
  const Civil c = civil_from_days(days);
  const int32_t yday = days - days_from_civil(c.year, 1, 1) + 1;
  std::string out;
  for (const Part& p : parts_) {
    switch (p.field) {
      case Field::literal:
        out += p.literal;
        break;
      case Field::year:
        out += fmt::format("{:04}", c.year);
        break;
      case Field::month:
        out += fmt::format("{:02}", c.month);
        break;
      case Field::day:
        out += fmt::format("{:02}", c.day);
        break;
      case Field::day_of_year:
        out += fmt::format("{:03}", yday);
        break;
    }
  }
  return out;
}

}  // namespace snapdelta
