#include "job/stored_names.h"

#include <array>
#include <cctype>

namespace snapdelta {

std::string units_column_name(std::string_view name, uint8_t scale) {
  return std::string(name) + (scale == 2 ? "_cents" : "_units");
}

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string_view reserved_table_prefix(std::string_view name) {
  constexpr std::array<std::string_view, 3> kPrefixes = {"snapdelta_", "sqlite_", "pg_"};
  for (std::string_view prefix : kPrefixes)
    if (name.size() >= prefix.size() && same_name(name.substr(0, prefix.size()), prefix))
      return prefix;
  return "";
}

}  // namespace snapdelta
