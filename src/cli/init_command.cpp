// `snapdelta init`: creates the store's schema, so that workers whose role may only read and
// write the tables can run against a server. Argument parsing and printing only.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/job_option.h"
#include "store/open_store.h"

namespace snapdelta::cli {

void register_init(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "init", "Create the store's tables (SQLite file or postgresql:// server) if missing");
  auto db = std::make_shared<std::string>("poc_database.db");
  auto job = std::make_shared<JobFlags>();
  cmd->add_option("--db", *db, "SQLite file or postgresql:// URI")->capture_default_str();
  add_job_option(*cmd, *job);
  cmd->callback([db, job, &exit_code] {
    const std::string where =
        init_store(StoreOptions{*db, StoreOpen::create_if_missing}, chosen_job(*job));
    std::printf("schema ready in %s\n", where.c_str());
    exit_code = 0;
  });
}

}  // namespace snapdelta::cli
