#include "pipeline/run_report.h"

#include <fmt/format.h>
#include <unistd.h>

namespace snapdelta {
namespace {

// The machine's name, asked once per process (a sync logs it for every client).
const std::string& host_name() {
  static const std::string host = [] {
    char name[256] = {};
    return ::gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string();
  }();
  return host;
}

}  // namespace

void RunReport::finish(Clock::time_point t0) {
  total_ms = ms_since(t0);
  phases.add(Phase::total, total_ms);
}

RunLogEntry RunReport::log_entry(double elapsed_ms) const {
  RunLogEntry e;
  e.client = client;
  e.day = day;
  e.file = file;
  e.mode = mode;
  e.path = std::string(to_string(path));
  e.rows_in_file = rows_in_file;
  e.rows_processed = rows_processed;
  e.groups_written = groups_written;
  e.total_ms = elapsed_ms;
  e.host = host_name();
  e.pid = ::getpid();
  return e;
}

nlohmann::ordered_json phases_json(const Phases& phases) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [phase, ms] : phases) j[std::string(to_string(phase))] = ms;
  return j;
}

nlohmann::ordered_json RunReport::to_json() const {
  nlohmann::ordered_json j;
  j["mode"] = to_string(mode);
  j["client"] = client;
  j["day"] = day;
  if (!date.empty()) j["date"] = date;
  j["file"] = file;
  j["rows_in_file"] = rows_in_file;
  j["rows_processed"] = rows_processed;
  j["groups_written"] = groups_written;
  j["bytes_inflated"] = bytes_inflated;
  j["total_ms"] = total_ms;
  j["path"] = to_string(path);
  j["rebuilt"] =
      rebuilt.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(rebuilt);
  j["phases_ms"] = phases_json(phases);
  return j;
}

std::string RunReport::summary_line() const {
  std::string s = fmt::format(
      "{} {} day {}: {} rows in file, {} rows processed, {} groups written, {:.1f} ms ({})",
      to_string(mode), client, date.empty() ? std::to_string(day) : date, rows_in_file,
      rows_processed, groups_written, total_ms, to_string(path));
  if (!rebuilt.empty()) s += fmt::format(" - rebuilt: {}", rebuilt);
  if (!note.empty()) s += fmt::format(" - {}", note);
  return s;
}

}  // namespace snapdelta
