// `snapdelta generate`: options -> snapdelta::generate::run -> one summary line on stdout.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "generate/generator.h"

namespace snapdelta::cli {

void register_generate(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<generate::Options>();
  options->threads = std::max(1u, std::thread::hardware_concurrency());
  CLI::App* cmd = app.add_subcommand("generate", "Write synthetic cumulative daily ZIP drops");
  cmd->add_option("--data-dir", options->data_dir, "Output directory")->capture_default_str();
  cmd->add_option("--clients", options->clients, "Number of clients")->capture_default_str();
  cmd->add_option("--days", options->days, "Number of daily files per client")
      ->capture_default_str();
  cmd->add_option("--base-rows", options->base_rows, "Rows in day 1")->capture_default_str();
  cmd->add_option("--rows-per-day", options->rows_per_day, "Rows appended each later day")
      ->capture_default_str();
  cmd->add_option("--skus", options->skus, "Number of distinct SKUs")->capture_default_str();
  cmd->add_option("--start-date", options->start_date, "Date of day 1 (YYYY-MM-DD)")
      ->capture_default_str();
  cmd->add_option("--seed", options->seed, "Random seed")->capture_default_str();
  cmd->add_option("--late-fraction", options->late_fraction,
                  "Share of each day's new rows dated 1-3 days earlier")
      ->capture_default_str();
  cmd->add_option("--threads", options->threads, "Worker threads (one client per thread)")
      ->capture_default_str();
  cmd->callback([options, &exit_code] {
    const generate::Summary summary = generate::run(*options);
    std::printf("%s\n", generate::describe(*options, summary).c_str());
    exit_code = 0;
  });
}

}  // namespace snapdelta::cli
