// EnumNames: an enum's printed names, kept in one table per enum (the table is the only place a
// name is spelled). Contract: name() gives the table's text for a value (every value must be in
// the table); parse() gives the value whose text equals `text`, or nullopt.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace snapdelta {

template <class E, size_t N>
class EnumNames {
 public:
  constexpr explicit EnumNames(std::array<std::pair<E, std::string_view>, N> table)
      : table_(table) {}

  constexpr std::string_view name(E value) const {
    for (const auto& [v, text] : table_) {
      if (v == value) return text;
    }
    return {};
  }
  constexpr std::optional<E> parse(std::string_view text) const {
    for (const auto& [v, t] : table_) {
      if (t == text) return v;
    }
    return std::nullopt;
  }

 private:
  std::array<std::pair<E, std::string_view>, N> table_;
};

}  // namespace snapdelta
