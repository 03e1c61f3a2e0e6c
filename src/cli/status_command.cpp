// `snapdelta status`: each client's stored state, with the newest drop in the data directory and
// how many drops are not applied yet (also for clients with drops but no state), its health and
// standing failure; --fail-if-lag N exits 1 listing the clients behind by more than N drops,
// ahead of their drops or failed, one line each on stderr. Files that look like drops but are not
// follow as `ignored <why>` lines (on stderr with --json, as sync prints them). Argument
// parsing and printing only; the lag comes from cli/client_lag.h.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/client_lag.h"
#include "cli/commands.h"
#include "cli/job_option.h"
#include "cli/usage.h"
#include "pipeline/run_options.h"
#include "source/drop_catalog.h"
#include "store/open_store.h"

namespace snapdelta::cli {
namespace {

template <class T>
nlohmann::ordered_json or_null(const std::optional<T>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json as_json(const ClientLag& c, const DropPattern& p) {
  const std::optional<ClientState>& s = c.state;
  nlohmann::ordered_json j = {{"client", c.client}};
  j["day"] = s ? nlohmann::ordered_json(s->day) : nullptr;
  j["file"] = s ? nlohmann::ordered_json(s->file) : nullptr;
  j["rows"] = s ? nlohmann::ordered_json(s->rows) : nullptr;
  j["bytes"] = s ? nlohmann::ordered_json(s->bytes) : nullptr;
  j["groups"] = s ? nlohmann::ordered_json(s->groups) : nullptr;
  j["mode"] = s ? nlohmann::ordered_json(to_string(s->mode)) : nullptr;
  j["updated_at"] = s ? nlohmann::ordered_json(s->updated_at) : nullptr;
  j["checkpoints"] = s ? nlohmann::ordered_json(s->checkpoints.size()) : nullptr;
  j["segments"] = s ? nlohmann::ordered_json(s->segments.size()) : nullptr;
  j["newest_day"] = or_null(c.newest_day);
  j["lag"] = or_null(c.lag);
  j["health"] = or_null(c.health());
  j["last_error"] = c.failure ? nlohmann::ordered_json(c.failure->error) : nullptr;
  if (p.keyed_by_date()) {  // the days above are days since 1970-01-01; the dates beside them
    j["date"] = s ? nlohmann::ordered_json(p.key_text(s->day)) : nullptr;
    j["newest_date"] = c.newest_day ? nlohmann::ordered_json(p.key_text(*c.newest_day)) : nullptr;
  }
  return j;
}

// ", newest drop: day 4, lag 2 (days 3-4)", or "" when the data dir was not looked at.
// Days as people read them: "3-4" for {day} patterns; dates for {date:...} ones.
std::string days_text(const std::vector<int>& days, const DropPattern& p) {
  if (!p.keyed_by_date()) return drops::describe_days(days);
  if (days.size() <= 3) {
    std::string out;
    for (int d : days) out += (out.empty() ? "" : ", ") + p.key_text(d);
    return out;
  }
  return p.key_text(days.front()) + " to " + p.key_text(days.back());
}

std::string drop_part(const ClientLag& c, const DropPattern& p) {
  if (!c.lag) return "";
  const std::string newest = c.newest_day ? "day " + p.key_text(*c.newest_day) : "none";
  const std::string days = c.pending.empty()
                               ? ""
                               : fmt::format(" ({} {})", c.pending.size() == 1 ? "day" : "days",
                                             days_text(c.pending, p));
  std::string ahead;
  if (c.ahead()) {
    const std::string name = std::filesystem::path(p.format(c.client, c.state->day)).filename();
    ahead = fmt::format(", AHEAD of the drops: the state's drop, day {} ({}), is missing",
                        p.key_text(c.state->day), name);
  }
  return fmt::format(", newest drop: {}, lag {}{}{}", newest, *c.lag, days, ahead);
}

// ", FAILED day 5 at 2026-...: <the error line>", or "" without a standing failure.
std::string failure_part(const ClientLag& c, const DropPattern& p) {
  if (!c.failure) return "";
  return fmt::format(", FAILED day {} at {}: {}", p.key_text(c.failure->day), c.failure->failed_at,
                     c.failure->error);
}

std::string as_line(const ClientLag& c, const DropPattern& p) {
  if (!c.state) {
    return fmt::format("{}: no state{}{}", c.client, drop_part(c, p), failure_part(c, p));
  }
  const ClientState& s = *c.state;
  return fmt::format("{}: day {}, {} rows, {} bytes, {} groups, by {} at {} ({}){}{}", s.client,
                     p.key_text(s.day), s.rows, s.bytes, s.groups, to_string(s.mode), s.updated_at,
                     s.file, drop_part(c, p), failure_part(c, p));
}

// Why a client fails --fail-if-lag N (one line), or nullopt when it passes.
std::optional<std::string> lag_fault(const ClientLag& c, int max_lag, const DropPattern& p) {
  if (c.failure) {
    return fmt::format("{}: failed day {} at {}: {}", c.client, p.key_text(c.failure->day),
                       c.failure->failed_at, c.failure->error);
  }
  if (c.ahead()) {
    return fmt::format("{}: ahead of its drops: state at day {}, newest drop {}", c.client,
                       p.key_text(c.state->day),
                       c.newest_day ? "day " + p.key_text(*c.newest_day) : "none");
  }
  if (c.lag && *c.lag > max_lag) {
    return fmt::format("{}: {} drops behind (days {}), more than --fail-if-lag {}", c.client,
                       *c.lag, days_text(c.pending, p), max_lag);
  }
  return std::nullopt;
}

struct StatusArgs {
  std::string db = "poc_database.db";
  std::string data_dir = "data";
  bool json = false;
  int fail_if_lag = -1;  // -1: not asked
  JobFlags job;
};

// Prints the status; returns the exit code (1 when --fail-if-lag finds a client to report).
int print_status(const StatusArgs& a) {
  const Job& job = chosen_job(a.job);
  const auto store = open_store(StoreOptions{a.db, StoreOpen::existing}, job);
  const auto states = store->all_states();
  const DropPattern pattern = drops::pattern_or_default(job.source.pattern);
  const LagReport report = client_lag(states, a.data_dir, pattern, store->failures(""));
  if (a.json) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const ClientLag& c : report.clients) arr.push_back(as_json(c, pattern));
    std::printf("%s\n", arr.dump().c_str());
  } else {
    if (states.empty()) std::printf("no client state in %s\n", store->describe().c_str());
    for (const ClientLag& c : report.clients) std::printf("%s\n", as_line(c, pattern).c_str());
  }
  std::fflush(stdout);
  if (!report.not_looked) {  // on stderr beside --json's output, as sync says them
    for (const std::string& why : drops::ignored(a.data_dir, pattern))
      std::fprintf(a.json ? stderr : stdout, "ignored %s\n", why.c_str());
    std::fflush(stdout);
  }
  if (report.not_looked) std::fprintf(stderr, "%s\n", report.not_looked->c_str());
  if (a.fail_if_lag < 0) return 0;
  int code = 0;
  for (const ClientLag& c : report.clients) {
    if (const auto fault = lag_fault(c, a.fail_if_lag, pattern)) {
      std::fprintf(stderr, "%s\n", fault->c_str());
      code = 1;
    }
  }
  return code;
}

}  // namespace

void register_status(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "status", "Show each client's stored state and the drops on disk not applied yet");
  auto a = std::make_shared<StatusArgs>();
  cmd->add_option("--db", a->db, "SQLite file or postgresql:// URI")->capture_default_str();
  cmd->add_option("--data-dir", a->data_dir, "folder holding <client>/transactions_day_<K>.zip")
      ->capture_default_str();
  add_job_option(*cmd, a->job);
  cmd->add_flag("--json", a->json, "print as JSON");
  cmd->add_option("--fail-if-lag", a->fail_if_lag,
                  "exit 1 when a client is more than N drops behind, ahead of its drops or "
                  "failed, listing those on stderr")
      ->check(integer_at_least<int>(0));
  cmd->callback([a, &exit_code] { exit_code = print_status(*a); });
}

}  // namespace snapdelta::cli
