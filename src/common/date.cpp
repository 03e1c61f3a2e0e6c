#include "common/date.h"

namespace snapdelta {

// Howard Hinnant's days_from_civil / civil_from_days.
int32_t days_from_civil(int32_t y, uint32_t m, uint32_t d) {
  y -= m <= 2;
  const int32_t era = (y >= 0 ? y : y - 399) / 400;
  const uint32_t yoe = static_cast<uint32_t>(y - era * 400);
  const uint32_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int32_t>(doe) - 719468;
}

static bool is_leap(int32_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool parse_date(std::string_view t, int32_t* days) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
  auto digit = [&](size_t i) { return static_cast<unsigned>(t[i] - '0'); };
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (digit(i) > 9) return false;
  }
  const int32_t y =
      static_cast<int32_t>(digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3));
  const uint32_t m = digit(5) * 10 + digit(6);
  const uint32_t d = digit(8) * 10 + digit(9);
  static constexpr uint8_t kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const uint32_t max_day = kMonthDays[m - 1] + (m == 2 && is_leap(y) ? 1 : 0);
  if (d > max_day) return false;
  *days = days_from_civil(y, m, d);
  return true;
}

void format_date_to(int32_t z, char* out) {
  z += 719468;
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const uint32_t doe = static_cast<uint32_t>(z - era * 146097);
  const uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int32_t y = static_cast<int32_t>(yoe) + era * 400;
  const uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const uint32_t mp = (5 * doy + 2) / 153;
  const uint32_t d = doy - (153 * mp + 2) / 5 + 1;
  const uint32_t m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  const uint32_t uy = static_cast<uint32_t>(y);
  out[0] = static_cast<char>('0' + uy / 1000 % 10);
  out[1] = static_cast<char>('0' + uy / 100 % 10);
  out[2] = static_cast<char>('0' + uy / 10 % 10);
  out[3] = static_cast<char>('0' + uy % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
}

std::string format_date(int32_t days) {
  std::string s(10, '0');
  format_date_to(days, s.data());
  return s;
}

}  // namespace snapdelta
