#include "pipeline/run_report.h"

#include <fmt/format.h>

namespace snapdelta {

void RunReport::add_phase(const std::string& name, double ms) {
  for (auto& [n, v] : phases_ms) {
    if (n == name) {
      v += ms;
      return;
    }
  }
  phases_ms.emplace_back(name, ms);
}

nlohmann::ordered_json RunReport::to_json() const {
  nlohmann::ordered_json j;
  j["mode"] = mode;
  j["client"] = client;
  j["day"] = day;
  j["file"] = file;
  j["rows_in_file"] = rows_in_file;
  j["rows_processed"] = rows_processed;
  j["groups_written"] = groups_written;
  j["bytes_inflated"] = bytes_inflated;
  j["total_ms"] = total_ms;
  j["path"] = path;
  j["rebuilt"] =
      rebuilt.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(rebuilt);
  auto& phases = j["phases_ms"] = nlohmann::ordered_json::object();
  for (const auto& [n, v] : phases_ms) phases[n] = v;
  return j;
}

std::string RunReport::summary_line() const {
  std::string s = fmt::format(
      "{} {} day {}: {} rows in file, {} rows processed, {} groups written, {:.1f} ms ({})", mode,
      client, day, rows_in_file, rows_processed, groups_written, total_ms, path);
  if (!rebuilt.empty()) s += fmt::format(" - rebuilt: {}", rebuilt);
  if (!note.empty()) s += fmt::format(" - {}", note);
  return s;
}

}  // namespace snapdelta
