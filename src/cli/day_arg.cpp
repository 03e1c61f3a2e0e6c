#include "cli/day_arg.h"

#include <fmt/format.h>

#include <limits>

#include "common/error.h"

namespace snapdelta::cli {

int parse_day(const std::string& option, const std::string& text, const DropPattern& pattern) {
  const std::optional<int64_t> key = pattern.parse_key(text);
  constexpr int64_t kMax = std::numeric_limits<int>::max();
  if (key && !pattern.keyed_by_date() && *key > kMax) {
    throw Error(fmt::format("{}: expected an integer from 1 to {}, found {}", option, kMax,
                            quote_found(text)));
  }
  if (!key || *key < 1 || *key > kMax) throw Error(option + ": " + pattern.key_problem(text));
  return static_cast<int>(*key);
}

}  // namespace snapdelta::cli
