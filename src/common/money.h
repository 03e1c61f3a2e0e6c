// Exact money: revenue text <-> int64 cents. No floating point ever touches a sum.
// Contract: parse_cents accepts an optional leading '-', digits, and an optional '.' followed by
// one or two digits ("12", "12.5", "12.50", "-0.07"); anything else, or a value beyond
// +-9e16 cents, returns false. format_cents renders "-123.45" style text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace snapdelta {

bool parse_cents(std::string_view text, int64_t* cents);
std::string format_cents(int64_t cents);

}  // namespace snapdelta
