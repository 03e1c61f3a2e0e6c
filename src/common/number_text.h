// The texts an int or decimal(scale) column takes as a value: the one rule the CSV parser
// (csv/field_reader) reads by and infer guesses types by, so the two never disagree.
// Contract: parse_int_text() takes an optional '-' and digits (leading zeros allowed) of any
// int64 value, the whole text; parse_decimal_text() takes an optional '-', at least one integer
// digit, and optionally a '.' with 1 to `scale` fraction digits, of a magnitude of at most
// kMaxDecimalUnits units of 10^-scale (92233720368547758.07 for scale 2).
// Both set *out (the value; the count of units) and return true, or return false.
#pragma once

#include <cstdint>
#include <string_view>

namespace snapdelta {

inline constexpr uint64_t kMaxDecimalUnits = INT64_MAX;  // a decimal's units fill an int64

bool parse_int_text(std::string_view text, int64_t* out);
bool parse_decimal_text(std::string_view text, uint8_t scale, int64_t* out);

}  // namespace snapdelta
