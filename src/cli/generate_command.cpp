// `snapdelta generate`: options -> snapdelta::generate::run -> one summary line on stdout.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "cli/usage.h"
#include "generate/generator.h"

namespace snapdelta::cli {

void register_generate(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<generate::Options>();
  auto force = std::make_shared<bool>(false);
  auto container = std::make_shared<std::string>("zip");
  options->threads = std::max(1u, std::thread::hardware_concurrency());
  CLI::App* cmd = app.add_subcommand(
      "generate", "Write synthetic cumulative daily drops (ZIP, gzip, CSV or zstd)");
  cmd->add_option("--data-dir", options->data_dir, "Output directory")->capture_default_str();
  cmd->add_option("--clients", options->clients, "Number of clients")
      ->capture_default_str()
      ->check(integer_in(1, 100000));
  cmd->add_option("--days", options->days, "Number of daily files per client")
      ->capture_default_str()
      ->check(integer_in(1, 3000000));
  cmd->add_option("--base-rows", options->base_rows, "Rows in day 1")
      ->capture_default_str()
      ->check(integer_at_least<int64_t>(0));
  cmd->add_option("--rows-per-day", options->rows_per_day, "Rows appended each later day")
      ->capture_default_str()
      ->check(integer_at_least<int64_t>(0));
  cmd->add_option("--skus", options->skus, "Number of distinct SKUs")
      ->capture_default_str()
      ->check(integer_in(1, 10000000));
  cmd->add_option("--start-date", options->start_date, "Date of day 1 (YYYY-MM-DD)")
      ->capture_default_str()
      ->check(calendar_date());
  cmd->add_option("--seed", options->seed, "Random seed")->capture_default_str();
  cmd->add_option("--late-fraction", options->late_fraction,
                  "Share of each day's new rows dated 1-3 days earlier")
      ->capture_default_str()
      ->check(number_in(0, 1));
  cmd->add_option("--threads", options->threads, "Worker threads (one client per thread)")
      ->capture_default_str()
      ->check(integer_in(0, 4096));
  cmd->add_option("--from-day", options->from_day,
                  "Write the files of this day and later only (earlier days' rows are still in "
                  "them)")
      ->capture_default_str()
      ->check(integer_in(1, 3000000));
  cmd->add_option("--container", *container,
                  "Container of the drops: zip, gzip (one member, recompressed daily), "
                  "gzip-append (one member more each day), csv, zstd (one frame, recompressed "
                  "daily) or zstd-append (one frame more each day)")
      ->capture_default_str()
      ->check(one_of(generate::container_options()));
  cmd->add_flag("--force", *force,
                "Overwrite drops made with other options (recorded in "
                "<data-dir>/snapdelta-generate.json)");
  cmd->callback([options, force, container, &exit_code] {
    options->overwrite = *force ? generate::Overwrite::force : generate::Overwrite::refuse;
    options->container = generate::parse_container(*container).value_or(generate::Container::zip);
    const generate::Summary summary = generate::run(*options);
    std::printf("%s\n", generate::describe(*options, summary).c_str());
    exit_code = 0;
  });
}

}  // namespace snapdelta::cli
