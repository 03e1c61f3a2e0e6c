// `snapdelta run` and `verify`: argument parsing and printing only.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/day_arg.h"
#include "cli/job_option.h"
#include "cli/usage.h"
#include "common/error.h"
#include "pipeline/pipeline.h"
#include "pipeline/verify.h"
#include "source/drop_catalog.h"
#include "store/open_store.h"

namespace snapdelta::cli {

void register_run(CLI::App& app, int& exit_code) {
  auto* cmd =
      app.add_subcommand("run", "Run the full or incremental pipeline for one client and day");
  auto o = std::make_shared<RunOptions>();
  auto json = std::make_shared<bool>(false);
  auto mode = std::make_shared<std::string>();
  auto on_history_change = std::make_shared<std::string>(to_string(HistoryPolicy::rebuild));
  auto job = std::make_shared<JobFlags>();
  cmd->add_option("--mode", *mode, "full | incremental")
      ->required()
      ->check(one_of({"full", "incremental"}));
  cmd->add_option("--client", o->client, "client folder name, e.g. client_1")->required();
  auto day = std::make_shared<std::string>();
  cmd->add_option("--day", *day,
                  "day K: reads transactions_day_K.zip (for a {date:...} pattern: the date, "
                  "YYYY-MM-DD)")
      ->required();
  cmd->add_option("--data-dir", o->data_dir, "folder holding <client>/transactions_day_<K>.zip")
      ->capture_default_str();
  cmd->add_option("--db", o->db_path, "SQLite file or postgresql:// URI")->capture_default_str();
  cmd->add_option("--busy-timeout-ms", o->busy_timeout_ms,
                  "wait this long for another run's write lock")
      ->capture_default_str()
      ->check(integer_at_least<int>(0));
  cmd->add_option("--threads", o->threads, "threads: 0 = one per core, 1 = sequential")
      ->capture_default_str()
      ->check(integer_at_least<int>(0));
  cmd->add_option("--on-history-change", *on_history_change,
                  "when the drop's history differs from the state's: rebuild the client from "
                  "the drop, or fail and write nothing")
      ->capture_default_str()
      ->check(one_of({"rebuild", "fail"}));
  add_job_option(*cmd, *job);
  add_rebuild_job_flag(*cmd, *job);
  cmd->add_flag("--json", *json, "print the summary as one JSON object");
  cmd->callback([o, mode, on_history_change, json, job, day, &exit_code] {
    o->job = &chosen_job(*job);
    o->day = parse_day("--day", *day, drops::pattern_or_default(o->job->source.pattern));
    o->rebuild_job = job->rebuild;
    o->mode = *parse_run_mode(*mode);
    o->on_history_change = *parse_history_policy(*on_history_change);
    const RunReport r = run_pipeline(*o);
    if (*json) {
      std::printf("%s\n", r.to_json().dump().c_str());
    } else {
      std::printf("%s\n", r.summary_line().c_str());
    }
    exit_code = 0;
  });
}

namespace {

struct VerifyArgs {
  std::vector<std::string> clients;  // empty: every client with a state
  std::string data_dir = "data";
  std::string db = "poc_database.db";
  JobFlags job;
};

enum class Verdict { identical, different, error };

Verdict verify_one(const VerifyArgs& a, const std::string& client) {
  try {
    VerifyRequest request;
    request.client = client;
    request.data_dir = a.data_dir;
    request.db = a.db;
    request.job = &chosen_job(a.job);
    const VerifyResult v = verify_client(request);
    if (v.identical) {
      std::printf("verify %s: identical (%zu groups, recomputed from %s)\n", client.c_str(),
                  v.groups, v.file.c_str());
      return Verdict::identical;
    }
    std::printf("verify %s: DIFFERENT from a recomputation of %s; first differences:\n",
                client.c_str(), v.file.c_str());
    for (const auto& d : v.differences) std::printf("  %s\n", d.c_str());
    return Verdict::different;
  } catch (const Error& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "%s\n", e.what());
    return Verdict::error;
  }
}

// Verifies each client; 0 when all are identical, 1 when any differs (named on the last line),
// 2 when any could not be verified.
int verify_all(const VerifyArgs& a) {
  std::vector<std::string> clients = a.clients;
  const auto store =
      open_store(StoreOptions{a.db, StoreOpen::existing}, chosen_job(a.job));  // a fault stops here
  if (clients.empty()) {
    for (const ClientState& s : store->all_states()) clients.push_back(s.client);
    if (clients.empty()) fail(store->describe(), "expected a client with a state, found none");
  }
  std::vector<std::string> different;
  size_t errors = 0;
  for (const std::string& c : clients) {
    const Verdict v = verify_one(a, c);
    if (v == Verdict::different) different.push_back(c);
    errors += v == Verdict::error;
  }
  if (clients.size() > 1) {
    std::string names;
    for (const std::string& c : different) names += (names.empty() ? "" : ", ") + c;
    std::printf("verified %zu clients: %zu identical, %zu different%s%s\n", clients.size(),
                clients.size() - different.size() - errors, different.size(),
                names.empty() ? "" : (" (" + names + ")").c_str(),
                errors ? fmt::format(", {} not verified", errors).c_str() : "");
  }
  std::fflush(stdout);
  return errors ? 2 : (different.empty() ? 0 : 1);
}

}  // namespace

void register_verify(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "verify", "Recompute clients from their states' files and compare with the table");
  auto a = std::make_shared<VerifyArgs>();
  cmd->add_option("--client", a->clients,
                  "client folder name (repeatable); default: every client with a state");
  cmd->add_option("--data-dir", a->data_dir,
                  "folder holding <client>/transactions_day_<K>.zip (K: the state's day)")
      ->capture_default_str();
  cmd->add_option("--db", a->db, "SQLite file or postgresql:// URI")->capture_default_str();
  add_job_option(*cmd, a->job);
  cmd->callback([a, &exit_code] { exit_code = verify_all(*a); });
}

}  // namespace snapdelta::cli
