// Calendar dates as days since 1970-01-01 (proleptic Gregorian), the unit every stage keys on.
// Contract: parse_date accepts exactly "YYYY-MM-DD" (years 0001..9999, real calendar days) and
// returns false otherwise; format_date is its inverse.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace snapdelta {

int32_t days_from_civil(int32_t y, uint32_t m, uint32_t d);
bool parse_date(std::string_view text, int32_t* days);
std::string format_date(int32_t days);
// Writes exactly 10 bytes "YYYY-MM-DD" to out.
void format_date_to(int32_t days, char* out);

}  // namespace snapdelta
