#include "pipeline/run_report.h"

#include <fmt/format.h>
#include <unistd.h>

#include "source/drop_catalog.h"

namespace snapdelta {

std::string_view to_string(Route route) {
  switch (route) {
    case Route::full:
      return "full";
    case Route::first_run:
      return "first-run";
    case Route::checkpoint:
      return "checkpoint";
    case Route::inflate_all:
      return "inflate-all";
    case Route::noop:
      return "noop";
    case Route::rebuilt:
      return "rebuilt";
  }
  return "full";
}

RunReport RunReport::begin(const RunOptions& o, std::string drop_file) {
  RunReport report;
  report.mode = o.mode;
  report.client = o.client;
  report.day = o.day;
  report.file = std::move(drop_file);
  return report;
}

RunReport RunReport::for_run(const RunOptions& o) {
  return begin(o, drops::require_drop(o.data_dir, o.client, o.day));
}

void RunReport::finish(Clock::time_point t0) {
  total_ms = ms_since(t0);
  add_phase("total", total_ms);
}

void RunReport::add_phase(const std::string& name, double ms) {
  for (auto& [n, v] : phases_ms) {
    if (n == name) {
      v += ms;
      return;
    }
  }
  phases_ms.emplace_back(name, ms);
}

RunLogEntry RunReport::log_entry(double elapsed_ms) const {
  RunLogEntry e;
  e.client = client;
  e.day = day;
  e.file = file;
  e.mode = std::string(to_string(mode));
  e.path = std::string(to_string(path));
  e.rows_in_file = rows_in_file;
  e.rows_processed = rows_processed;
  e.groups_written = groups_written;
  e.total_ms = elapsed_ms;
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) e.host = host;
  e.pid = ::getpid();
  return e;
}

nlohmann::ordered_json RunReport::to_json() const {
  nlohmann::ordered_json j;
  j["mode"] = to_string(mode);
  j["client"] = client;
  j["day"] = day;
  j["file"] = file;
  j["rows_in_file"] = rows_in_file;
  j["rows_processed"] = rows_processed;
  j["groups_written"] = groups_written;
  j["bytes_inflated"] = bytes_inflated;
  j["total_ms"] = total_ms;
  j["path"] = to_string(path);
  j["rebuilt"] =
      rebuilt.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(rebuilt);
  auto& phases = j["phases_ms"] = nlohmann::ordered_json::object();
  for (const auto& [n, v] : phases_ms) phases[n] = v;
  return j;
}

std::string RunReport::summary_line() const {
  std::string s = fmt::format(
      "{} {} day {}: {} rows in file, {} rows processed, {} groups written, {:.1f} ms ({})",
      to_string(mode), client, day, rows_in_file, rows_processed, groups_written, total_ms,
      to_string(path));
  if (!rebuilt.empty()) s += fmt::format(" - rebuilt: {}", rebuilt);
  if (!note.empty()) s += fmt::format(" - {}", note);
  return s;
}

}  // namespace snapdelta
