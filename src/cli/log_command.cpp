// `snapdelta log`: the run log (one row per applied run, oldest first) as an aligned table or a
// JSON array; --failures lists the failed attempts (Store::failures()) the same ways. Argument
// parsing and printing only; the rows come from the store.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/job_option.h"
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

nlohmann::ordered_json failures_json(const std::vector<FailureRecord>& failures) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const FailureRecord& f : failures) {
    arr.push_back({{"client", f.client},
                   {"day", f.day},
                   {"file", f.file},
                   {"error", f.error},
                   {"failed_at", f.failed_at},
                   {"cleared_at", f.cleared_at.empty() ? nlohmann::ordered_json(nullptr)
                                                       : nlohmann::ordered_json(f.cleared_at)},
                   {"host", f.host},
                   {"pid", f.pid}});
  }
  return arr;
}

std::string failures_table(const std::vector<FailureRecord>& failures) {
  const std::vector<Column> columns = {{"client", Align::left},    {"day", Align::right},
                                       {"failed at", Align::left}, {"cleared at", Align::left},
                                       {"host", Align::left},      {"pid", Align::right},
                                       {"error", Align::left}};
  std::vector<std::vector<std::string>> rows;
  for (const FailureRecord& f : failures) {
    rows.push_back({f.client, std::to_string(f.day), f.failed_at,
                    f.cleared_at.empty() ? "-" : f.cleared_at, f.host, std::to_string(f.pid),
                    f.error});
  }
  return render_table(columns, rows);
}

struct LogArgs {
  std::string db = "poc_database.db";
  std::string client;
  bool json = false;
  bool failures = false;
  JobFlags job;
};

void print_failures(const LogArgs& a, Store& store) {
  const std::vector<FailureRecord> failures = store.failures(a.client);
  if (a.json) {
    std::printf("%s\n", failures_json(failures).dump().c_str());
  } else if (failures.empty()) {
    const std::string of = a.client.empty() ? "" : " of client " + a.client;
    std::printf("no failures%s in %s\n", of.c_str(), store.describe().c_str());
  } else {
    std::fputs(failures_table(failures).c_str(), stdout);
  }
}

void print_runs(const LogArgs& a, Store& store) {
  const std::vector<RunLogEntry> runs = store.runs(a.client);
  if (a.json) {
    std::printf("%s\n", as_json(runs).dump().c_str());
  } else if (runs.empty()) {
    const std::string of = a.client.empty() ? "" : " of client " + a.client;
    std::printf("no runs%s in %s\n", of.c_str(), store.describe().c_str());
  } else {
    std::fputs(as_table(runs).c_str(), stdout);
  }
}

}  // namespace

void register_log(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("log", "List the applied runs, oldest first");
  auto a = std::make_shared<LogArgs>();
  cmd->add_option("--db", a->db, "SQLite file or postgresql:// URI")->capture_default_str();
  cmd->add_option("--client", a->client, "only this client's runs (default: every client)");
  add_job_option(*cmd, a->job);
  cmd->add_flag("--json", a->json, "print one JSON array");
  cmd->add_flag("--failures", a->failures,
                "list the failed attempts instead (cleared ones too), oldest first");
  cmd->callback([a, &exit_code] {
    const auto store = open_store(StoreOptions{a->db, StoreOpen::existing}, chosen_job(a->job));
    if (a->failures) {
      print_failures(*a, *store);
    } else {
      print_runs(*a, *store);
    }
    exit_code = 0;
  });
}

}  // namespace snapdelta::cli
