// `snapdelta sync`: argument parsing and printing only (pipeline/sync.h does the work).
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/day_arg.h"
#include "cli/job_option.h"
#include "cli/usage.h"
#include "common/error.h"
#include "common/progress_bar.h"
#include "common/stopwatch.h"
#include "pipeline/sync.h"
#include "pipeline/sync_watch.h"
#include "source/drop_catalog.h"

namespace snapdelta::cli {
namespace {

struct SyncArgs {
  SyncOptions options;
  std::string mode = "incremental";
  std::string on_history_change = "rebuild";
  bool json = false;
  bool watch = false;
  int settle_ms = 1000;
  std::string through_day;  // "": no limit
  JobFlags job;
};

void add_options(CLI::App& cmd, SyncArgs& a) {
  SyncOptions& o = a.options;
  cmd.add_option("--data-dir", o.data_dir, "folder holding <client>/transactions_day_<K>.zip")
      ->capture_default_str();
  cmd.add_option("--db", o.db, "SQLite file or postgresql:// URI")->capture_default_str();
  add_job_option(cmd, a.job);
  add_rebuild_job_flag(cmd, a.job);
  cmd.add_option("--mode", a.mode, "incremental | full")
      ->capture_default_str()
      ->check(one_of({"incremental", "full"}));
  cmd.add_option("--client", o.clients, "only this client (repeatable); default: every client");
  cmd.add_option("--through-day", a.through_day,
                 "newest day to take (default: the newest; for a {date:...} pattern a date, "
                 "YYYY-MM-DD)");
  cmd.add_option("--jobs", o.jobs, "clients at once: 0 = one per core")
      ->capture_default_str()
      ->check(integer_at_least<int>(0));
  cmd.add_option("--threads", o.threads, "threads per job: 0 = the cores shared out among jobs")
      ->capture_default_str()
      ->check(integer_at_least<int>(0));
  cmd.add_option("--on-history-change", a.on_history_change,
                 "rebuild | fail: what to do when a client's consumed history changed")
      ->capture_default_str()
      ->check(one_of({"rebuild", "fail"}));
  cmd.add_option("--busy-timeout-ms", o.busy_timeout_ms, "wait this long for another writer's lock")
      ->capture_default_str()
      ->check(integer_at_least<int>(0));
  cmd.add_option("--group", o.group.clients,
                 "clients committed together in one transaction (group commit); 1 = one "
                 "transaction per client")
      ->capture_default_str()
      ->check(integer_at_least<int>(1));
  cmd.add_option("--group-ms", o.group.ms,
                 "a group commits at the latest this long after its first client")
      ->capture_default_str()
      ->check(integer_at_least<int>(0));
  cmd.add_flag("--json", a.json, "one JSON object per client, then {\"summary\": ...}");
  cmd.add_flag("--watch", a.watch,
               "after the first pass, keep running and apply each new drop as it lands "
               "(until SIGINT/SIGTERM)");
  cmd.add_option(
         "--settle-ms", a.settle_ms,
         "with --watch: take a drop once its size and mtime held still this long; one still not a "
         "complete zip after a further grace (10x this, at least 5 s) fails its client, "
         "reported once")
      ->capture_default_str()
      ->check(integer_at_least<int>(0));
}

DropPattern pattern_of(const SyncArgs& a) {
  return drops::pattern_or_default(a.options.job->source.pattern);
}

std::string day_text(int day, const DropPattern& p) { return day > 0 ? p.key_text(day) : "-"; }

void print_header() {
  std::printf("%-16s %10s %10s %-12s %14s %14s %10s %s\n", "client", "from day", "to day", "route",
              "rows processed", "groups written", "ms", "status");
}

void print_row(const ClientSync& c, const DropPattern& p) {
  const bool ran = c.status != SyncStatus::failed;
  std::printf("%-16s %10s %10s %-12s %14llu %14llu %10.1f %s\n", c.client.c_str(),
              day_text(c.from_day, p).c_str(), day_text(c.to_day, p).c_str(),
              ran ? std::string(to_string(c.report.path)).c_str() : "-",
              static_cast<unsigned long long>(c.report.rows_processed),
              static_cast<unsigned long long>(c.report.groups_written), c.report.total_ms,
              std::string(to_string(c.status)).c_str());
}

void print_table(const std::vector<ClientSync>& results, const DropPattern& p) {
  print_header();
  for (const ClientSync& c : results) print_row(c, p);
}

void print_summary(const SyncSummary& s) {
  std::printf(
      "synced %zu client%s: %zu applied, %zu no-op, %zu failed; %llu rows processed, %llu groups "
      "written in %.1f ms\n",
      s.clients, s.clients == 1 ? "" : "s", s.applied, s.noop, s.failed,
      static_cast<unsigned long long>(s.rows_processed),
      static_cast<unsigned long long>(s.groups_written), s.total_ms);
}

// A failed client's error, or a rebuilt client's warning naming the changed line: one line on
// stderr each.
void print_trouble(const ClientSync& c) {
  if (c.status == SyncStatus::failed) std::fprintf(stderr, "%s\n", c.error.c_str());
  if (c.status == SyncStatus::applied && !c.report.rebuilt.empty()) {
    std::fprintf(stderr, "%s: warning: %s; client %s rebuilt from this drop\n",
                 c.report.file.c_str(), c.report.rebuilt.c_str(), c.client.c_str());
  }
}

// One pass over the clients; returns 0 when every client ended at its newest drop, else 2.
int sync_once(const SyncArgs& a) {
  const auto t0 = Clock::now();
  const DataSurvey survey = survey_data(a.options);  // each client folder listed once
  const std::vector<std::string> clients = sync_clients_of(a.options, survey);
  check_sync_store(a.options);
  for (const drops::FolderDrops& f : survey) {
    for (const std::string& why : f.ignored) std::fprintf(stderr, "ignored %s\n", why.c_str());
  }
  const DropPattern pattern = pattern_of(a);
  ProgressBar bar("sync", clients.size());
  uint64_t done = 0, rows = 0;
  const auto observer = [&](const ClientSync& c) {
    print_trouble(c);
    if (a.json) std::printf("%s\n", c.to_json(pattern).dump().c_str());
    rows += c.report.rows_processed;
    const double s = ms_since(t0) / 1000.0;
    bar.set_label(fmt::format("sync {:.0f} rows/s", s > 0 ? static_cast<double>(rows) / s : 0.0));
    bar.update(++done);
  };
  const std::vector<ClientSync> results = sync_clients(a.options, clients, observer, &survey);
  bar.finish();
  const SyncSummary summary = summarize(results, ms_since(t0));
  if (a.json) {
    std::printf("%s\n", summary.to_json().dump().c_str());
  } else {
    print_table(results, pattern);
    print_summary(summary);
  }
  std::fflush(stdout);
  return summary.failed == 0 ? 0 : 2;
}

// --watch: each client a settled drop brought forward, as the first pass prints it.
void print_watched(const SyncArgs& a, const ClientSync& c) {
  print_trouble(c);
  if (a.json) {
    std::printf("%s\n", c.to_json(pattern_of(a)).dump().c_str());
  } else {
    print_row(c, pattern_of(a));
  }
  std::fflush(stdout);
}

// The first pass as plain sync, then the watch; 0 once stopped by SIGINT/SIGTERM.
int sync_and_watch(const SyncArgs& a) {
  watch_sync(
      a.options, std::chrono::milliseconds(a.settle_ms), [&a] { sync_once(a); },
      [&a](const ClientSync& c) { print_watched(a, c); });
  return 0;
}

}  // namespace

void register_sync(CLI::App& app, int& exit_code) {
  auto* cmd =
      app.add_subcommand("sync", "Bring every client to its newest drop, several clients at once");
  auto a = std::make_shared<SyncArgs>();
  add_options(*cmd, *a);
  cmd->callback([a, cmd, &exit_code] {
    if (cmd->count("--settle-ms") && !a->watch)
      throw Error("--settle-ms: expected --watch with it, found a sync without --watch");
    a->options.mode = *parse_run_mode(a->mode);
    a->options.on_history_change = *parse_history_policy(a->on_history_change);
    a->options.job = &chosen_job(a->job);
    a->options.rebuild_job = a->job.rebuild;
    if (!a->through_day.empty())
      a->options.through_day = parse_day("--through-day", a->through_day, pattern_of(*a));
    exit_code = a->watch ? sync_and_watch(*a) : sync_once(*a);
  });
}

}  // namespace snapdelta::cli
