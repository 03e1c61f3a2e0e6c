// `snapdelta status`: each client's stored state, with the newest drop in the data directory and
// how many drops are not applied yet (also for clients with drops but no state). Argument
// parsing and printing only; the lag comes from cli/client_lag.h.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/client_lag.h"
#include "cli/commands.h"
#include "source/drop_catalog.h"
#include "store/open_store.h"

namespace snapdelta::cli {
namespace {

template <class T>
nlohmann::ordered_json or_null(const std::optional<T>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json as_json(const ClientLag& c) {
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
  return j;
}

// ", newest drop: day 4, lag 2 (days 3-4)", or "" when the data dir was not looked at.
std::string drop_part(const ClientLag& c) {
  if (!c.lag) return "";
  const std::string newest = c.newest_day ? fmt::format("day {}", *c.newest_day) : "none";
  const std::string days = c.pending.empty()
                               ? ""
                               : fmt::format(" ({} {})", c.pending.size() == 1 ? "day" : "days",
                                             drops::describe_days(c.pending));
  return fmt::format(", newest drop: {}, lag {}{}", newest, *c.lag, days);
}

std::string as_line(const ClientLag& c) {
  if (!c.state) return fmt::format("{}: no state{}", c.client, drop_part(c));
  const ClientState& s = *c.state;
  return fmt::format("{}: day {}, {} rows, {} bytes, {} groups, by {} at {} ({}){}", s.client,
                     s.day, s.rows, s.bytes, s.groups, to_string(s.mode), s.updated_at, s.file,
                     drop_part(c));
}

}  // namespace

void register_status(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "status", "Show each client's stored state and the drops on disk not applied yet");
  auto db = std::make_shared<std::string>("poc_database.db");
  auto data_dir = std::make_shared<std::string>("data");
  auto json = std::make_shared<bool>(false);
  auto pattern = std::make_shared<std::string>();
  cmd->add_option("--pattern", *pattern,
                  "drops' path under --data-dir: {client} and {day} or {date:FORMAT}; the "
                  "extension selects the container (.zip, .csv.gz, .csv, .csv.zst)")
      ->default_str(std::string(drops::kDefaultPattern));
  cmd->add_option("--db", *db, "SQLite file or postgresql:// URI")->capture_default_str();
  cmd->add_option("--data-dir", *data_dir, "folder holding <client>/transactions_day_<K>.zip")
      ->capture_default_str();
  cmd->add_flag("--json", *json, "print as JSON");
  cmd->callback([db, data_dir, json, pattern, &exit_code] {
    const auto store = open_store(StoreOptions{*db, StoreOpen::existing});
    const auto states = store->all_states();
    const LagReport report = client_lag(states, *data_dir, drops::pattern_or_default(*pattern));
    if (*json) {
      nlohmann::ordered_json arr = nlohmann::ordered_json::array();
      for (const ClientLag& c : report.clients) arr.push_back(as_json(c));
      std::printf("%s\n", arr.dump().c_str());
    } else {
      if (states.empty()) std::printf("no client state in %s\n", store->describe().c_str());
      for (const ClientLag& c : report.clients) std::printf("%s\n", as_line(c).c_str());
    }
    if (report.not_looked)
      std::fprintf(stderr, "%s\n", report.not_looked->c_str());
    else if (!*json)
      for (const std::string& why : drops::ignored(*data_dir, drops::pattern_or_default(*pattern)))
        std::printf("ignored %s\n", why.c_str());
    exit_code = 0;
  });
}

}  // namespace snapdelta::cli
