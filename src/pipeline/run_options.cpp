#include "pipeline/run_options.h"

#include <fmt/format.h>

namespace snapdelta {

std::string_view to_string(RunMode mode) { return mode == RunMode::full ? "full" : "incremental"; }

std::optional<RunMode> parse_run_mode(std::string_view text) {
  if (text == "full") return RunMode::full;
  if (text == "incremental") return RunMode::incremental;
  return std::nullopt;
}

std::string drop_path(const std::string& data_dir, const std::string& client, int day) {
  return fmt::format("{}/{}/transactions_day_{}.zip", data_dir, client, day);
}

}  // namespace snapdelta
