// `snapdelta run`, `status` and `verify`: argument parsing and printing only.
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/usage.h"
#include "common/money.h"
#include "pipeline/pipeline.h"
#include "pipeline/verify.h"
#include "store/open_store.h"

namespace snapdelta::cli {

void register_run(CLI::App& app, int& exit_code) {
  auto* cmd =
      app.add_subcommand("run", "Run the full or incremental pipeline for one client and day");
  auto o = std::make_shared<RunOptions>();
  auto json = std::make_shared<bool>(false);
  auto mode = std::make_shared<std::string>();
  cmd->add_option("--mode", *mode, "full | incremental")
      ->required()
      ->check(one_of({"full", "incremental"}));
  cmd->add_option("--client", o->client, "client folder name, e.g. client_1")->required();
  cmd->add_option("--day", o->day, "day K: reads transactions_day_K.zip")
      ->required()
      ->check(integer_at_least<int>(1));
  cmd->add_option("--data-dir", o->data_dir, "folder holding <client>/transactions_day_<K>.zip")
      ->capture_default_str();
  cmd->add_option("--db", o->db_path, "SQLite database")->capture_default_str();
  cmd->add_option("--busy-timeout-ms", o->busy_timeout_ms,
                  "wait this long for another run's write lock")
      ->capture_default_str()
      ->check(integer_at_least<int>(0));
  cmd->add_option("--threads", o->threads, "threads: 0 = one per core, 1 = sequential")
      ->capture_default_str()
      ->check(integer_at_least<int>(0));
  cmd->add_flag("--json", *json, "print the summary as one JSON object");
  cmd->callback([o, mode, json, &exit_code] {
    o->mode = *parse_run_mode(*mode);
    const RunReport r = run_pipeline(*o);
    if (*json) {
      std::printf("%s\n", r.to_json().dump().c_str());
    } else {
      std::printf("%s\n", r.summary_line().c_str());
    }
    exit_code = 0;
  });
}

void register_status(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("status", "Show each client's stored incremental state");
  auto db = std::make_shared<std::string>("poc_database.db");
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--db", *db, "SQLite database")->capture_default_str();
  cmd->add_flag("--json", *json, "print as JSON");
  cmd->callback([db, json, &exit_code] {
    const auto store = open_store(StoreOptions{*db, StoreOpen::existing});
    const auto states = store->all_states();
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    if (!*json && states.empty()) std::printf("no client state in %s\n", db->c_str());
    for (const auto& s : states) {
      if (*json) {
        arr.push_back({{"client", s.client},
                       {"day", s.day},
                       {"file", s.file},
                       {"rows", s.rows},
                       {"bytes", s.bytes},
                       {"groups", s.groups},
                       {"mode", s.mode},
                       {"updated_at", s.updated_at},
                       {"checkpoints", s.checkpoints.size()},
                       {"segments", s.segments.size()}});
      } else {
        std::printf("%s: day %d, %llu rows, %llu bytes, %llu groups, by %s at %s (%s)\n",
                    s.client.c_str(), s.day, static_cast<unsigned long long>(s.rows),
                    static_cast<unsigned long long>(s.bytes),
                    static_cast<unsigned long long>(s.groups), s.mode.c_str(), s.updated_at.c_str(),
                    s.file.c_str());
      }
    }
    if (*json) std::printf("%s\n", arr.dump().c_str());
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
  cmd->add_option("--db", *db, "SQLite database")->capture_default_str();
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
