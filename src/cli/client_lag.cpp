#include "cli/client_lag.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>

#include "source/drop_catalog.h"

namespace snapdelta::cli {
namespace {

namespace fs = std::filesystem;

LagReport client_lag_of_states(std::vector<ClientState> states, const std::string& data_dir,
                               const DropPattern& pattern);

// Fills newest_day, pending and lag from the client's days on disk after `applied`.
void measure(ClientLag& c, const std::string& data_dir, int applied, const DropPattern& pattern) {
  const std::vector<int> days = drops::days(data_dir, c.client, pattern);
  if (!days.empty()) c.newest_day = days.back();
  std::copy_if(days.begin(), days.end(), std::back_inserter(c.pending),
               [applied](int d) { return d > applied; });
  c.lag = static_cast<int>(c.pending.size());
}

std::optional<std::string> missing_data_dir(const std::string& data_dir) {
  std::error_code ec;
  if (fs::is_directory(data_dir, ec)) return std::nullopt;
  const bool exists = fs::exists(data_dir, ec);
  return fmt::format(
      "{}: could not look for drops: expected a data directory at {}, found {} (pass --data-dir)",
      data_dir, drops::absolute_dir(data_dir), exists ? "a file" : "none");
}

// Each client's newest failure not cleared yet.
std::map<std::string, FailureRecord> standing(const std::vector<FailureRecord>& failures) {
  std::map<std::string, FailureRecord> out;
  for (const FailureRecord& f : failures) {
    if (f.cleared_at.empty()) out[f.client] = f;  // oldest first: the last one stays
  }
  return out;
}

void attach_failures(LagReport& report, const std::vector<FailureRecord>& failures) {
  std::map<std::string, FailureRecord> left = standing(failures);
  for (ClientLag& c : report.clients) {
    if (auto it = left.find(c.client); it != left.end()) {
      c.failure = std::move(it->second);
      left.erase(it);
    }
  }
  for (auto& [client, f] : left) {
    ClientLag c;
    c.client = client;
    c.failure = std::move(f);
    report.clients.push_back(std::move(c));
  }
}

}  // namespace

std::optional<std::string> ClientLag::health() const {
  if (failure) return "failed";
  if (!state) return "no-state";
  if (!lag) return std::nullopt;
  if (ahead()) return "ahead";
  return *lag > 0 ? "behind" : "current";
}

LagReport client_lag(std::vector<ClientState> states, const std::string& data_dir,
                     const DropPattern& pattern, const std::vector<FailureRecord>& failures) {
  LagReport report = client_lag_of_states(std::move(states), data_dir, pattern);
  attach_failures(report, failures);
  return report;
}

namespace {

LagReport client_lag_of_states(std::vector<ClientState> states, const std::string& data_dir,
                               const DropPattern& pattern) {
  LagReport report;
  report.not_looked = missing_data_dir(data_dir);
  std::set<std::string> with_state;
  for (ClientState& s : states) {
    ClientLag c;
    c.client = s.client;
    with_state.insert(s.client);
    if (!report.not_looked) measure(c, data_dir, s.day, pattern);
    c.state = std::move(s);
    report.clients.push_back(std::move(c));
  }
  if (report.not_looked) return report;
  for (const std::string& name : drops::clients(data_dir, pattern)) {
    if (with_state.count(name) > 0) continue;
    ClientLag c;
    c.client = name;
    measure(c, data_dir, 0, pattern);
    report.clients.push_back(std::move(c));
  }
  return report;
}

}  // namespace

}  // namespace snapdelta::cli
