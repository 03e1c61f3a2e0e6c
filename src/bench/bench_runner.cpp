#include "bench/bench_runner.h"

#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>

#include "bench/bench_db.h"
#include "bench/child_runner.h"
#include "bench/container_runner.h"
#include "bench/fleet_runner.h"
#include "bench/peers.h"
#include "bench/scratch_dir.h"
#include "bench/state_cache.h"
#include "common/error.h"
#include "common/progress_bar.h"
#include "job/builtin_job.h"
#include "job/canonical.h"
#include "source/drop_catalog.h"

namespace snapdelta::bench {
namespace fs = std::filesystem;
namespace {

constexpr int kMaxDayRuns = 3;
constexpr size_t kListedDifferences = 10;

// "t by (k1, k2): m1, m2; u by (k1): m3": the job's tables as the report names them.
std::string describe_tables(const Job& job) {
  std::string out;
  for (const Table& t : job.tables) {
    out += (out.empty() ? "" : "; ") + t.name + " by (";
    for (size_t k = 0; k < t.group_by.size(); ++k)
      out += (k ? ", " : "") + job.columns[t.group_by[k]].name;
    out += "):";
    for (size_t m = 0; m < t.measures.size(); ++m) out += (m ? ", " : " ") + t.measures[m].name;
  }
  return out;
}

// The 1-minute load average, or nullopt when /proc/loadavg cannot be read.
std::optional<double> load_average() {
  std::ifstream in("/proc/loadavg");
  double one_minute = 0;
  if (in >> one_minute) return one_minute;
  return std::nullopt;
}

class Runner {
 public:
  Runner(const BenchPlan& plan, BenchDb& db, std::string scratch_path)
      : plan_(plan),
        db_(db),
        scratch_path_(std::move(scratch_path)),
        progress_("bench: preparing", total_steps()) {}

  BenchResults run() {
    BenchResults results;
    results.conditions.load_start = load_average();
    generate_quick_data();
    // Keyed by the data files, so only once they exist.
    cache_.emplace(db_.postgres() ? "" : plan_.options.db_cache, plan_.executable, plan_.client(),
                   canonical(plan_.job),
                   std::vector<std::string>(plan_.day_files.begin(), plan_.day_files.end() - 1));
    prepare_builtin(results);
    results.conditions.process_floor_rss_kb = process_floor();
    results.conditions.cached_state = plan_.day() > 1 && cache_->has(plan_.day() - 1);
    run_days(results);
    run_repeats(results);
    fill_conditions(results);
    if (plan_.options.peers) run_peers(results);
    results.conditions.load_end = load_average();
    progress_.finish();
    return results;
  }

 private:
  uint64_t total_steps() const {
    uint64_t steps =
        2 * static_cast<uint64_t>(plan_.day() - 1) * static_cast<uint64_t>(day_runs()) +
        2 * static_cast<uint64_t>(plan_.repeat);
    if (plan_.job_file) steps += 2 * static_cast<uint64_t>(plan_.repeat) + 1;
    if (plan_.options.peers) {
      steps += PeerHarness::engines().size() * PeerHarness::modes().size() *
               static_cast<uint64_t>(plan_.repeat);
    }
    return steps;
  }

  // Announces the step about to run; the bar shows the steps already done.
  void step(const std::string& label) {
    progress_.update(done_++);
    progress_.set_label("bench: " + label);
  }

  void generate_quick_data() {
    if (plan_.generate_args.empty()) return;
    progress_.set_label("bench: generating quick data");
    std::vector<std::string> argv = {plan_.executable};
    argv.insert(argv.end(), plan_.generate_args.begin(), plan_.generate_args.end());
    ChildResult child = run_child(argv);
    if (!child.ok()) fail(render_command(argv), "expected success, found " + child.failure());
    for (const auto& f : plan_.day_files) {
      if (!fs::is_regular_file(f))
        fail(f, "expected `generate` to have written this file, found none");
    }
  }

  std::optional<long> process_floor() {
    ChildResult child = run_child({plan_.executable, "--version"});
    if (!child.ok()) return std::nullopt;
    return child.peak_rss_kb;
  }

  // `job_args`: the job the child runs (--job FILE, or none for the job chosen as commands do).
  RunSample run_pipeline(const std::string& mode, int day, const std::string& db,
                         const std::vector<std::string>& job_args) {
    std::vector<std::string> argv = {plan_.executable, "run",          "--mode", mode,
                                     "--client",       plan_.client(), "--day",  plan_.day_arg(day),
                                     "--data-dir",     plan_.data_dir, "--db",   db,
                                     "--json"};
    argv.insert(argv.end(), job_args.begin(), job_args.end());
    ChildResult child = run_child(argv);
    RunSample sample = parse_run_sample(child, argv);
    malloc_trim(0);  // keep this parent small: fork() copies it into the next child's RSS
    return sample;
  }

  RunSample run_full(int day, const std::string& db, const std::vector<std::string>& job_args) {
    db_.fresh(db);
    return run_pipeline("full", day, db, job_args);
  }

  // Incremental run of `day` on a fresh copy of `base` ("" = an empty database).
  RunSample run_incremental(int day, const std::string& base, const std::string& db,
                            const std::vector<std::string>& job_args) {
    if (base.empty()) {
      db_.fresh(db);
    } else {
      db_.copy(base, db);
    }
    return run_pipeline("incremental", day, db, job_args);
  }

  std::string state_name(int day) { return db_.location(fmt::format("state_day{}", day)); }

  // Day-by-day runs per pipeline and day before day K: up to 3 of --repeat.
  int day_runs() const { return std::min(plan_.repeat, kMaxDayRuns); }

  static void add_comparison(Comparison& into, const Comparison& c, const std::string& prefix) {
    into.expected_groups = c.expected_groups;
    into.actual_groups = c.actual_groups;
    into.difference_count += c.difference_count;
    for (const auto& d : c.differences) {
      if (into.differences.size() < kListedDifferences) into.differences.push_back(prefix + d);
    }
  }

  // The state after day d-1 to run day d on: the cached copy when there is one, else the chain's.
  std::string base_for(int day) {
    if (day <= 1) return "";
    if (cache_->has(day - 1)) return cache_->path(day - 1);
    return state_name(day - 1);
  }

  // Days 1..K-1; day K's row is the repeated pairs' (see run_repeats).
  void run_days(BenchResults& results) {
    const std::string full_db = db_.location("day_full");
    const int runs = day_runs();
    results.conditions.day_runs = runs;
    for (int d = 1; d < plan_.day(); ++d) {
      DayRow row;
      row.day = d;
      const std::string state = state_name(d);
      std::vector<RunSample> fulls, incrementals;
      for (int i = 0; i < runs; ++i) {
        const std::string of = runs > 1 ? fmt::format(" {}/{}", i + 1, runs) : "";
        step(fmt::format("day {}/{} full{}", d, plan_.day(), of));
        fulls.push_back(run_full(d, full_db, job_args_));
        step(fmt::format("day {}/{} incr{}", d, plan_.day(), of));
        incrementals.push_back(run_incremental(d, base_for(d), state, job_args_));
        add_comparison(row.comparison, compare_rows(full_db, state, plan_.client(), plan_.job), "");
      }
      row.full = PipelineStats::from(std::move(fulls));
      row.incremental = PipelineStats::from(std::move(incrementals));
      if (!cache_->has(d)) cache_->store(d, state);
      // Keep only what comes next: day d's state, and day K-1's for the repeated pairs.
      if (d >= 2) db_.remove(state_name(d - 1));
      results.days.push_back(std::move(row));
      malloc_trim(0);
    }
    db_.remove(full_db);
  }

  void run_repeats(BenchResults& results) {
    const int k = plan_.day();
    const std::string base = base_for(k);
    const std::string full_db = db_.location("full");
    const std::string incr_db = db_.location("incremental");
    std::vector<RunSample> fulls, incrementals;
    for (int i = 0; i < plan_.repeat; ++i) {
      const std::string label = fmt::format("run {}/{}", i + 1, plan_.repeat);
      // Alternate which pipeline goes first, so neither always inherits the other's warm caches.
      if (i % 2 == 0) {
        step(label + " full");
        fulls.push_back(run_full(k, full_db, job_args_));
        step(label + " incr");
        incrementals.push_back(run_incremental(k, base, incr_db, job_args_));
      } else {
        step(label + " incr");
        incrementals.push_back(run_incremental(k, base, incr_db, job_args_));
        step(label + " full");
        fulls.push_back(run_full(k, full_db, job_args_));
      }
      add_comparison(results.comparison, compare_rows(full_db, incr_db, plan_.client(), plan_.job),
                     fmt::format("run {}: ", i + 1));
      if (builtin_) run_builtin_pair(i);
      malloc_trim(0);
    }
    // Keep day K's full result and day K-1's state for the conditions and the peers.
    const ClientTotals totals = client_totals(full_db, plan_.client(), plan_.job);
    results.conditions.groups = totals.groups;
    results.conditions.total_quantity = totals.total_quantity;
    if (!base.empty()) after_date_ = client_totals(base, plan_.client(), plan_.job).last_date;
    finish_builtin();
    db_.remove(full_db);
    db_.remove(incr_db);
    results.full = PipelineStats::from(std::move(fulls));
    results.incremental = PipelineStats::from(std::move(incrementals));
    DayRow last;  // day K in the day-by-day table: these same samples
    last.day = k;
    last.full = results.full;
    last.incremental = results.incremental;
    last.comparison = results.comparison;
    last.repeated = true;
    results.days.push_back(std::move(last));
  }

  void fill_conditions(BenchResults& results) {
    Conditions& c = results.conditions;
    c.client = plan_.client();
    c.day = plan_.day();
    c.data_dir = plan_.data_dir;
    c.file = plan_.file(plan_.day());
    std::error_code ec;
    c.file_bytes = fs::file_size(c.file, ec);
    c.rows_in_file = results.full.last().rows_in_file;
    c.new_rows = results.incremental.last().rows_processed;
    c.repeat = plan_.repeat;
    c.quick = plan_.options.quick;
    c.system = collect_system_info();
    c.job_file = plan_.job_file;
    c.job_tables = describe_tables(plan_.job);
  }

  // With a job file: whether the built-in job can run on the same drops (its own pattern names
  // the same files), and day K-1's built-in state to run its incremental pairs on.
  void prepare_builtin(BenchResults& results) {
    if (!plan_.job_file && plan_.options.pattern.empty()) return;
    BuiltinBeside& b = results.builtin.emplace();
    for (int d = std::max(1, plan_.day() - 1); d <= plan_.day(); ++d) {
      if (drops::drop_path(plan_.data_dir, plan_.client(), d) != plan_.file(d)) {
        b.skipped = fmt::format(
            "the built-in job reads {}/transactions_day_<K>.zip, and this job's drops are named by "
            "{}",
            plan_.client(), plan_.job.source.pattern);
        return;
      }
    }
    builtin_job_file_ = scratch_path_ + "/builtin-job.toml";
    std::ofstream(builtin_job_file_) << canonical(builtin_job());
    builtin_args_ = {"--job", builtin_job_file_};
    step("built-in job, day K-1 state");
    if (plan_.day() > 1) {
      builtin_base_ = db_.location("builtin_base");
      try {
        run_full(plan_.day() - 1, builtin_base_, builtin_args_);
      } catch (const Error& e) {
        b.skipped = std::string("the built-in job cannot read these drops: ") + e.what();
        return;
      }
    }
    builtin_ = &b;
  }

  // The built-in job's pair of repeat i, in the order the job's pair of i ran.
  void run_builtin_pair(int i) {
    const int k = plan_.day();
    const std::string full_db = db_.location("builtin_full");
    const std::string incr_db = db_.location("builtin_incremental");
    const std::string label = fmt::format("built-in {}/{}", i + 1, plan_.repeat);
    for (int j = 0; j < 2; ++j) {
      if ((i + j) % 2 == 0) {
        step(label + " full");
        builtin_full_.push_back(run_full(k, full_db, builtin_args_));
      } else {
        step(label + " incr");
        builtin_incremental_.push_back(run_incremental(k, builtin_base_, incr_db, builtin_args_));
      }
    }
    db_.remove(full_db);
    db_.remove(incr_db);
  }

  void finish_builtin() {
    if (!builtin_) return;
    builtin_->full = PipelineStats::from(std::move(builtin_full_));
    builtin_->incremental = PipelineStats::from(std::move(builtin_incremental_));
    if (!builtin_base_.empty()) db_.remove(builtin_base_);
  }

  void run_peers(BenchResults& results) {
    PeerResults& peers = results.peers;
    peers.requested = true;
    // Day 1 has no earlier state: the seed's filter then keeps every row.
    peers.after_date = after_date_.empty() ? "0001-01-01" : after_date_;
    progress_.set_label("bench: preparing peers");
    PeerHarness harness(plan_.peers_dir);
    peers.skipped = harness.prepare();
    if (!peers.skipped.empty()) return;
    peers.node_version = harness.node_version();
    const std::string& zip = plan_.file(plan_.day());
    std::vector<std::vector<PeerRun>> runs;  // engine x mode, in report order
    const std::vector<std::string>& modes = PeerHarness::modes();
    runs.resize(PeerHarness::engines().size() * modes.size());
    for (int i = 0; i < plan_.repeat; ++i) {
      size_t slot = 0;
      for (const auto& engine : PeerHarness::engines()) {
        for (const auto& mode : modes) {
          step(fmt::format("{} {} {}/{}", engine, mode.substr(0, 5), i + 1, plan_.repeat));
          runs[slot++].push_back(harness.run(engine, mode, zip, peers.after_date, scratch_path_));
        }
      }
    }
    for (auto& group : runs) peers.rows.push_back(summarize_peer(group, results));
    peers.ran = true;
  }

  PeerRow summarize_peer(const std::vector<PeerRun>& runs, BenchResults& results) {
    PeerRow row;
    const PeerRun& last = runs.back();
    row.engine = last.engine;
    row.mode = last.mode;
    row.version = last.version;
    row.rows_read = last.rows_read;
    row.rows_used = last.rows_used;
    row.groups = last.groups;
    row.total_quantity = last.total_quantity;
    std::vector<double> wall, cpu, rss, inproc;
    for (const auto& r : runs) {
      wall.push_back(r.wall_ms);
      cpu.push_back(r.cpu_ms);
      rss.push_back(static_cast<double>(r.peak_rss_kb));
      if (r.in_process_ms) inproc.push_back(*r.in_process_ms);
    }
    row.wall_ms = summarize(wall);
    row.cpu_ms = summarize(cpu);
    row.peak_rss_kb = summarize(rss);
    if (!inproc.empty()) row.in_process_ms = summarize(inproc);
    if (row.mode == "full") check_against_ours(row, results);
    return row;
  }

  // A peer's full run must find what snapdelta found: the same groups, rows and total quantity.
  static void check_against_ours(PeerRow& row, BenchResults& results) {
    const Conditions& c = results.conditions;
    row.matches_snapdelta = row.groups == c.groups && row.total_quantity == c.total_quantity &&
                            row.rows_read == c.rows_in_file;
    if (*row.matches_snapdelta) return;
    auto shown = [](const auto& v) { return v ? std::to_string(*v) : std::string("not reported"); };
    results.peers.mismatches.push_back(fmt::format(
        "{} full: {} groups, {} rows, total quantity {}; snapdelta: {} groups, {} rows, total "
        "quantity {}",
        row.engine, shown(row.groups), shown(row.rows_read), shown(row.total_quantity), c.groups,
        c.rows_in_file, c.total_quantity));
  }

  const BenchPlan& plan_;
  const std::vector<std::string> job_args_ = plan_.job_args();  // the job every run of it gets
  BenchDb& db_;
  std::string scratch_path_;
  std::optional<StateCache> cache_;
  ProgressBar progress_;
  uint64_t done_ = 0;
  std::string after_date_;
  BuiltinBeside* builtin_ = nullptr;  // set when the built-in job runs beside a job file
  std::string builtin_job_file_, builtin_base_;
  std::vector<std::string> builtin_args_;
  std::vector<RunSample> builtin_full_, builtin_incremental_;
};

}  // namespace

BenchResults run_bench(const BenchPlan& plan) {
  ScratchDir scratch(plan.out);
  BenchDb db(scratch, plan.options.db);
  Runner runner(plan, db, scratch.path());
  BenchResults results = runner.run();
  results.conditions.store = db.postgres() ? db.server_shown() : "SQLite";
  if (plan.containers.enabled) results.containers = run_containers(plan, scratch, db);
  if (plan.fleet.enabled) results.fleet = run_fleet(plan, scratch, db);
  return results;
}

}  // namespace snapdelta::bench
