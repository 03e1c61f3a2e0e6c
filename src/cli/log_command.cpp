// `snapdelta log`: the run log (one row per applied run, oldest first) as an aligned table or a
// JSON array. Argument parsing and printing only; the rows come from Store::runs().
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/text_table.h"
#include "store/open_store.h"

namespace snapdelta::cli {
namespace {

nlohmann::ordered_json as_json(const std::vector<RunLogEntry>& runs) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const RunLogEntry& r : runs) {
    arr.push_back({{"client", r.client},
                   {"day", r.day},
                   {"file", r.file},
                   {"mode", to_string(r.mode)},
                   {"path", r.path},
                   {"rows_in_file", r.rows_in_file},
                   {"rows_processed", r.rows_processed},
                   {"groups_written", r.groups_written},
                   {"total_ms", r.total_ms},
                   {"finished_at", r.finished_at},
                   {"host", r.host},
                   {"pid", r.pid}});
  }
  return arr;
}

std::string as_table(const std::vector<RunLogEntry>& runs) {
  const std::vector<Column> columns = {{"client", Align::left},
                                       {"day", Align::right},
                                       {"mode", Align::left},
                                       {"path", Align::left},
                                       {"rows in file", Align::right},
                                       {"rows processed", Align::right},
                                       {"groups written", Align::right},
                                       {"ms", Align::right},
                                       {"finished at", Align::left},
                                       {"host", Align::left},
                                       {"pid", Align::right}};
  std::vector<std::vector<std::string>> rows;
  for (const RunLogEntry& r : runs) {
    rows.push_back({r.client, std::to_string(r.day), std::string(to_string(r.mode)), r.path,
                    std::to_string(r.rows_in_file), std::to_string(r.rows_processed),
                    std::to_string(r.groups_written), fmt::format("{:.1f}", r.total_ms),
                    r.finished_at, r.host, std::to_string(r.pid)});
  }
  return render_table(columns, rows);
}

}  // namespace

void register_log(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("log", "List the applied runs, oldest first");
  auto db = std::make_shared<std::string>("poc_database.db");
  auto client = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--db", *db, "SQLite file or postgresql:// URI")->capture_default_str();
  cmd->add_option("--client", *client, "only this client's runs (default: every client)");
  cmd->add_flag("--json", *json, "print one JSON array");
  cmd->callback([db, client, json, &exit_code] {
    const auto store = open_store(StoreOptions{*db, StoreOpen::existing});
    const std::vector<RunLogEntry> runs = store->runs(*client);
    if (*json) {
      std::printf("%s\n", as_json(runs).dump().c_str());
    } else if (runs.empty()) {
      const std::string of = client->empty() ? "" : " of client " + *client;
      std::printf("no runs%s in %s\n", of.c_str(), store->describe().c_str());
    } else {
      std::fputs(as_table(runs).c_str(), stdout);
    }
    exit_code = 0;
  });
}

}  // namespace snapdelta::cli
