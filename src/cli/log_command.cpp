// `snapdelta log`: the run log (one row per applied run, oldest first) as an aligned table or a
// JSON array; --failures lists the failed attempts (Store::failures()) the same ways. With drops
// keyed by date the day is shown as a date (JSON keeps the day number and adds "date"). Argument
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
#include "source/drop_catalog.h"
#include "store/open_store.h"

namespace snapdelta::cli {
namespace {

// {"client", "day"} and, for drops keyed by date, "date": the start of a row's JSON object.
nlohmann::ordered_json day_json(const std::string& client, int day, const DropPattern& p) {
  nlohmann::ordered_json j = {{"client", client}, {"day", day}};
  if (p.keyed_by_date()) j["date"] = p.key_text(day);
  return j;
}

nlohmann::ordered_json as_json(const std::vector<RunLogEntry>& runs, const DropPattern& p) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const RunLogEntry& r : runs) {
    nlohmann::ordered_json j = day_json(r.client, r.day, p);
    j.update({{"file", r.file},
              {"mode", to_string(r.mode)},
              {"path", r.path},
              {"rows_in_file", r.rows_in_file},
              {"rows_processed", r.rows_processed},
              {"groups_written", r.groups_written},
              {"total_ms", r.total_ms},
              {"finished_at", r.finished_at},
              {"host", r.host},
              {"pid", r.pid}});
    arr.push_back(std::move(j));
  }
  return arr;
}

std::string as_table(const std::vector<RunLogEntry>& runs, const DropPattern& p) {
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
    rows.push_back({r.client, p.key_text(r.day), std::string(to_string(r.mode)), r.path,
                    std::to_string(r.rows_in_file), std::to_string(r.rows_processed),
                    std::to_string(r.groups_written), fmt::format("{:.1f}", r.total_ms),
                    r.finished_at, r.host, std::to_string(r.pid)});
  }
  return render_table(columns, rows);
}

nlohmann::ordered_json failures_json(const std::vector<FailureRecord>& failures,
                                     const DropPattern& p) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const FailureRecord& f : failures) {
    nlohmann::ordered_json j = day_json(f.client, f.day, p);
    j.update({{"file", f.file},
              {"error", f.error},
              {"failed_at", f.failed_at},
              {"cleared_at", f.cleared_at.empty() ? nlohmann::ordered_json(nullptr)
                                                  : nlohmann::ordered_json(f.cleared_at)},
              {"host", f.host},
              {"pid", f.pid}});
    arr.push_back(std::move(j));
  }
  return arr;
}

std::string failures_table(const std::vector<FailureRecord>& failures, const DropPattern& p) {
  const std::vector<Column> columns = {{"client", Align::left},    {"day", Align::right},
                                       {"failed at", Align::left}, {"cleared at", Align::left},
                                       {"host", Align::left},      {"pid", Align::right},
                                       {"error", Align::left}};
  std::vector<std::vector<std::string>> rows;
  for (const FailureRecord& f : failures) {
    rows.push_back({f.client, p.key_text(f.day), f.failed_at,
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

void print_failures(const LogArgs& a, Store& store, const DropPattern& p) {
  const std::vector<FailureRecord> failures = store.failures(a.client);
  if (a.json) {
    std::printf("%s\n", failures_json(failures, p).dump().c_str());
  } else if (failures.empty()) {
    const std::string of = a.client.empty() ? "" : " of client " + a.client;
    std::printf("no failures%s in %s\n", of.c_str(), store.describe().c_str());
  } else {
    std::fputs(failures_table(failures, p).c_str(), stdout);
  }
}

void print_runs(const LogArgs& a, Store& store, const DropPattern& p) {
  const std::vector<RunLogEntry> runs = store.runs(a.client);
  if (a.json) {
    std::printf("%s\n", as_json(runs, p).dump().c_str());
  } else if (runs.empty()) {
    const std::string of = a.client.empty() ? "" : " of client " + a.client;
    std::printf("no runs%s in %s\n", of.c_str(), store.describe().c_str());
  } else {
    std::fputs(as_table(runs, p).c_str(), stdout);
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
    const Job& job = chosen_job(a->job);
    const auto store = open_store(StoreOptions{a->db, StoreOpen::existing}, job);
    const DropPattern pattern = drops::pattern_or_default(job.source.pattern);
    if (a->failures) {
      print_failures(*a, *store, pattern);
    } else {
      print_runs(*a, *store, pattern);
    }
    exit_code = 0;
  });
}

}  // namespace snapdelta::cli
