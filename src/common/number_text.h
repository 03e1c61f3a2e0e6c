// The texts an int or decimal(scale) column takes as a value: the one rule the CSV parser
// (csv/field_reader) reads by and infer guesses types by, so the two never disagree.
// Contract: parse_int_text() takes an optional '-' and 1 to kMaxIntDigits digits, the whole text;
// parse_decimal_text() takes an optional '-', at least one and at most max(1, 17 - scale)
// integer digits, and optionally a '.' with 1 to `scale` fraction digits, of a magnitude of at
// most kMaxDecimalUnits units of 10^-scale (for scale 2 exactly what common/money.h accepts).
// Both set *out (the value; the count of units) and return true, or return false.
#pragma once

#include <cstdint>
#include <string_view>

namespace snapdelta {

inline constexpr size_t kMaxIntDigits = 18;
inline constexpr int64_t kMaxDecimalUnits = 90'000'000'000'000'000;  // 9e16, as common/money.h

bool parse_int_text(std::string_view text, int64_t* out);
bool parse_decimal_text(std::string_view text, uint8_t scale, int64_t* out);

}  // namespace snapdelta
