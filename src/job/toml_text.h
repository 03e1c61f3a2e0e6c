// Writing TOML text: a basic string literal for any bytes. Contract: toml_string(s) is a TOML
// basic string ("...") that a TOML reader reads back as exactly s (quotes, backslashes and
// control bytes escaped; other bytes, UTF-8 included, as they are).
#pragma once

#include <string>
#include <string_view>

namespace snapdelta {

std::string toml_string(std::string_view text);

}  // namespace snapdelta
