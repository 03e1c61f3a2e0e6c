#include "bench/run_sample.h"

#include "common/error.h"

namespace snapdelta::bench {
namespace {

uint64_t count_field(const nlohmann::ordered_json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return 0;
  const double v = it->get<double>();
  return v > 0 ? static_cast<uint64_t>(v) : 0;
}

}  // namespace

double RunSample::phase(const std::string& name) const {
  for (const auto& [key, ms] : phases_ms) {
    if (key == name) return ms;
  }
  return -1;
}

RunSample parse_run_sample(const ChildResult& child, const std::vector<std::string>& argv) {
  const std::string command = render_command(argv);
  if (!child.ok()) fail(command, "expected success, found " + child.failure());
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(child.out);
  } catch (const nlohmann::json::exception&) {
    fail(command, "expected one JSON object on stdout, found " + quote_found(child.out));
  }
  if (!j.is_object())
    fail(command, "expected one JSON object on stdout, found " + quote_found(child.out));
  RunSample s;
  s.mode = j.value("mode", "");
  s.path = j.value("path", "");
  if (auto it = j.find("rebuilt"); it != j.end() && it->is_string())
    s.rebuilt = it->get<std::string>();
  s.rows_in_file = count_field(j, "rows_in_file");
  s.rows_processed = count_field(j, "rows_processed");
  s.groups_written = count_field(j, "groups_written");
  if (auto it = j.find("total_ms"); it != j.end() && it->is_number())
    s.total_ms = it->get<double>();
  if (auto it = j.find("phases_ms"); it != j.end() && it->is_object()) {
    for (const auto& [key, value] : it->items()) {
      if (value.is_number()) s.phases_ms.emplace_back(key, value.get<double>());
    }
  }
  if (s.total_ms == 0) {
    const double total = s.phase("total");
    if (total > 0) s.total_ms = total;
  }
  s.wall_ms = child.wall_ms;
  s.cpu_ms = child.cpu_ms;
  s.peak_rss_kb = child.peak_rss_kb;
  return s;
}

nlohmann::ordered_json to_json(const RunSample& s) {
  nlohmann::ordered_json phases = nlohmann::ordered_json::object();
  for (const auto& [key, ms] : s.phases_ms) phases[key] = ms;
  return {{"mode", s.mode},
          {"path", s.path},
          {"rebuilt",
           s.rebuilt.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.rebuilt)},
          {"rows_in_file", s.rows_in_file},
          {"rows_processed", s.rows_processed},
          {"groups_written", s.groups_written},
          {"total_ms", s.total_ms},
          {"phases_ms", phases},
          {"wall_ms", s.wall_ms},
          {"cpu_ms", s.cpu_ms},
          {"peak_rss_kb", s.peak_rss_kb}};
}

}  // namespace snapdelta::bench
