// `snapdelta bench`: full vs incremental on one client and day, each run a measured child process
// (with --container, per container too); writes results.md, results.json, results_days.svg (and
// .png). Options only; the work is in
// src/bench/.
#include <cstdio>

#include "bench/bench_outputs.h"
#include "bench/bench_plan.h"
#include "bench/bench_runner.h"
#include "cli/commands.h"
#include "cli/job_option.h"

namespace snapdelta::cli {

void register_bench(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<bench::BenchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "bench",
      "Benchmark full vs incremental on day K (each run its own process), day by day 1..K, "
      "optionally against Polars and DuckDB; exits 1 when the results differ");
  auto* data_dir =
      cmd->add_option("--data-dir", options->data_dir, "Data directory")->capture_default_str();
  cmd->add_option("--client", options->client, "Client to benchmark")->capture_default_str();
  cmd->add_option("--day", options->day, "Day K to benchmark")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  auto* repeat = cmd->add_option("--repeat", options->repeat, "Runs of each pipeline on day K")
                     ->capture_default_str()
                     ->check(CLI::Range(1, 1000));
  auto* out = cmd->add_option("--out", options->out,
                              "Directory for results.md, results.json and the chart (default: ., "
                              "or results-quick with --quick)");
  cmd->add_flag("--peers", options->peers, "Also run the job with Polars and DuckDB (node)");
  cmd->add_option("--peers-dir", options->peers_dir,
                  "Directory of the peer scripts (default: ./peers or near the binary)");
  cmd->add_flag("--quick", options->quick,
                "Tiny data (generated into <out>/data-quick unless --data-dir), 1 repeat, "
                "reports in results-quick unless --out");
  cmd->add_option("--db", options->db,
                  "A PostgreSQL server (postgresql://...): every run on a database of its own "
                  "there, and with --fleet 1, 2 and 4 sync workers against it");
  cmd->add_flag("--fleet", options->fleet.enabled,
                "Also benchmark `snapdelta sync` over a fleet of clients (full, incremental, "
                "no-op; --jobs 1 and --jobs <cores>)");
  cmd->add_option("--fleet-clients", options->fleet.clients,
                  "Clients in the fleet (default 50; 3 with --quick)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--fleet-shape", options->fleet.shape,
                  "The fleet's clients: default (50 of 380K rows at day 10, +20K a day) or small "
                  "(2,000 of 2,400 rows, +200 a day; data dir data-fleet-small)")
      ->check(CLI::IsMember({"default", "small"}));
  cmd->add_option("--fleet-repeat", options->fleet.repeat,
                  "Alternating samples of each fleet case (default: --repeat)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--fleet-data-dir", options->fleet.data_dir,
                  "The fleet's data dir (default data-fleet; with --quick <out>/data-fleet-quick)");
  cmd->add_option("--container", options->containers,
                  "Also benchmark full vs incremental per container: a comma list of zip, gzip, "
                  "gzip-append, csv, zstd, zstd-append, or all (zip is always measured beside "
                  "them)");
  auto job = std::make_shared<JobFlags>();  // for every run; the built-in job is also measured
  add_job_option(*cmd, *job);               // beside another when it can read the same drops
  cmd->add_option("--db-cache", options->db_cache,
                  "Keep each day's incremental state here, reused while data and binary are "
                  "unchanged");
  cmd->callback([options, job, data_dir, repeat, out, &exit_code] {
    options->job_flag = job->file;
    options->pattern = job->pattern;
    options->data_dir_given = data_dir->count() > 0;
    options->repeat_given = repeat->count() > 0;
    options->out_given = out->count() > 0;
    const bench::BenchPlan plan = bench::make_plan(*options);
    const bench::BenchResults results = bench::run_bench(plan);
    const bench::OutputFiles files = bench::write_outputs(results, plan.out);
    std::fputs(bench::summary(results, files).c_str(), stdout);
    exit_code = results.exact() ? 0 : 1;
  });
}

}  // namespace snapdelta::cli
