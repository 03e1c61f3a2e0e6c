// `snapdelta run` and `verify`: argument parsing and printing only.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/usage.h"
#include "pipeline/pipeline.h"
#include "pipeline/verify.h"
#include "source/drop_catalog.h"

namespace snapdelta::cli {

void register_run(CLI::App& app, int& exit_code) {
  auto* cmd =
      app.add_subcommand("run", "Run the full or incremental pipeline for one client and day");
  auto o = std::make_shared<RunOptions>();
  auto json = std::make_shared<bool>(false);
  auto mode = std::make_shared<std::string>();
  auto on_history_change = std::make_shared<std::string>(to_string(HistoryPolicy::rebuild));
  cmd->add_option("--mode", *mode, "full | incremental")
      ->required()
      ->check(one_of({"full", "incremental"}));
  cmd->add_option("--client", o->client, "client folder name, e.g. client_1")->required();
  cmd->add_option("--day", o->day, "day K: reads transactions_day_K.zip")
      ->required()
      ->check(integer_at_least<int>(1));
  cmd->add_option("--data-dir", o->data_dir, "folder holding <client>/transactions_day_<K>.zip")
      ->capture_default_str();
  cmd->add_option("--pattern", o->pattern,
                  "drops' path under --data-dir: {client} and {day} or {date:FORMAT}; the "
                  "extension selects the container (.zip, .csv.gz, .csv, .csv.zst)")
      ->default_str(std::string(drops::kDefaultPattern));
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
  cmd->add_flag("--json", *json, "print the summary as one JSON object");
  cmd->callback([o, mode, on_history_change, json, &exit_code] {
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

void register_verify(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "verify", "Recompute a client from its state's file and compare with the table");
  auto client = std::make_shared<std::string>();
  auto data_dir = std::make_shared<std::string>("data");
  auto db = std::make_shared<std::string>("poc_database.db");
  cmd->add_option("--client", *client, "client folder name")->required();
  cmd->add_option("--data-dir", *data_dir,
                  "folder holding <client>/transactions_day_<K>.zip (K: the state's day)")
      ->capture_default_str();
  cmd->add_option("--db", *db, "SQLite file or postgresql:// URI")->capture_default_str();
  cmd->callback([client, data_dir, db, &exit_code] {
    const VerifyResult v = verify_client(*client, *data_dir, *db);
    if (v.identical) {
      std::printf("verify %s: identical (%zu groups, recomputed from %s)\n", client->c_str(),
                  v.groups, v.file.c_str());
      exit_code = 0;
    } else {
      std::printf("verify %s: DIFFERENT from a recomputation of %s; first differences:\n",
                  client->c_str(), v.file.c_str());
      for (const auto& d : v.differences) std::printf("  %s\n", d.c_str());
      exit_code = 1;
    }
  });
}

}  // namespace snapdelta::cli
