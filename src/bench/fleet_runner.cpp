#include "bench/fleet_runner.h"

#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bench/child_runner.h"
#include "bench/run_sample.h"
#include "common/error.h"
#include "common/progress_bar.h"
#include "job/builtin_job.h"

namespace snapdelta::bench {
namespace {

constexpr size_t kListedDifferences = 10;
constexpr int kPgWorkers[] = {1, 2, 4};
constexpr int kPgMaxRepeat = 3;
constexpr int kPhaseClients = 3;  // `run` children for the phases when sync reports none

void add_phases(std::vector<std::pair<std::string, double>>& into, const nlohmann::json& phases) {
  if (!phases.is_object()) return;
  for (const auto& item : phases.items()) {
    const std::string& name = item.key();
    const nlohmann::json& value = item.value();
    if (!value.is_number()) continue;
    auto it =
        std::find_if(into.begin(), into.end(), [&](const auto& p) { return p.first == name; });
    if (it == into.end()) {
      into.emplace_back(name, 0.0);
      it = into.end() - 1;
    }
    it->second += value.get<double>();
  }
}

// Reads a `sync --json` child: one object per client, then {"summary": ...}. `client_phases`
// receives each client's phases when the child reported them.
FleetSample parse_sync(const ChildResult& child, const std::vector<std::string>& argv,
                       std::vector<std::vector<std::pair<std::string, double>>>* client_phases) {
  const std::string command = render_command(argv);
  if (!child.ok()) fail(command, "expected success, found " + child.failure());
  FleetSample s;
  s.wall_ms = child.wall_ms;
  s.cpu_ms = child.cpu_ms;
  s.peak_rss_kb = child.peak_rss_kb;
  std::istringstream lines(child.out);
  bool summary = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) fail(command, "expected JSON lines on stdout, found " + quote_found(line));
    if (const auto it = j.find("summary"); it != j.end()) {
      s.clients = it->value("clients", uint64_t{0});
      s.applied = it->value("applied", uint64_t{0});
      s.noop = it->value("noop", uint64_t{0});
      s.rows_processed = it->value("rows_processed", uint64_t{0});
      s.groups_written = it->value("groups_written", uint64_t{0});
      summary = true;
    } else if (const auto p = j.find("phases_ms");
               p != j.end() && j.value("status", "") == "applied") {
      add_phases(s.phases_ms, *p);
      if (client_phases) {
        client_phases->emplace_back();
        add_phases(client_phases->back(), *p);
      }
    }
  }
  if (!summary)
    fail(command, "expected a {\"summary\": ...} line, found " + quote_found(child.out));
  return s;
}

class FleetRunner {
 public:
  FleetRunner(const BenchPlan& plan, const ScratchDir& scratch, BenchDb& db)
      : plan_(plan),
        fleet_(plan.fleet),
        scratch_(scratch),
        db_(db),
        progress_("bench: fleet", steps()) {}

  FleetResults run() {
    FleetResults r;
    r.shape = fleet_.shape;
    r.clients = fleet_.clients;
    r.day = fleet_.day;
    r.repeat = fleet_.repeat;
    r.jobs = fleet_.jobs;
    r.base_rows = fleet_.base_rows;
    r.rows_per_day = fleet_.rows_per_day;
    r.skus = fleet_.skus;
    r.data_dir = fleet_.data_dir;
    generate();
    prepare(r);
    make_cases(r);
    for (int i = 0; i < fleet_.repeat; ++i) run_sample(r, i);
    for (auto& c : r.cases) c.summarize_samples();
    if (const FleetCase* full = r.find("full", 1)) r.rows_in_day_file = full->rows_processed();
    if (const FleetCase* incr = r.find("incremental", 1)) r.new_rows = incr->rows_processed();
    r.pg.requested = db_.postgres();
    if (db_.postgres()) run_postgres(r);
    progress_.finish();
    return r;
  }

 private:
  uint64_t steps() const {
    const uint64_t cases = 2 + 3 * (fleet_.jobs > 1 ? 2 : 1);
    uint64_t n = cases * static_cast<uint64_t>(fleet_.repeat) + 2;
    if (db_.postgres()) n += 3 * static_cast<uint64_t>(std::min(fleet_.repeat, kPgMaxRepeat)) + 1;
    return n;
  }
  void step(const std::string& label) {
    progress_.update(done_++);
    progress_.set_label("bench: fleet " + label);
  }

  void generate() {
    step("generating data");
    std::vector<std::string> argv = {plan_.executable};
    argv.insert(argv.end(), fleet_.generate_args.begin(), fleet_.generate_args.end());
    const ChildResult child = run_child(argv);
    if (!child.ok()) fail(render_command(argv), "expected success, found " + child.failure());
  }

  std::vector<std::string> sync_argv(const std::string& mode, const std::string& db, int jobs,
                                     int threads, const std::string& data_dir,
                                     const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> argv = {
        plan_.executable,     "sync",  "--mode", mode, "--data-dir", data_dir, "--db", db, "--jobs",
        std::to_string(jobs), "--json"};
    if (threads > 0) argv.insert(argv.end(), {"--threads", std::to_string(threads)});
    argv.insert(argv.end(), extra.begin(), extra.end());
    if (data_dir == fleet_.data_dir) {
      for (const auto& c : fleet_.client_names) argv.insert(argv.end(), {"--client", c});
    }
    return argv;
  }

  FleetSample sync(const std::vector<std::string>& argv) {
    const ChildResult child = run_child(argv);
    FleetSample s = parse_sync(child, argv, nullptr);
    malloc_trim(0);  // keep this parent small: fork() copies it into the next child's RSS
    return s;
  }

  // The day-9 database, and a day-10 one for the no-op syncs (neither is a sample).
  void prepare(FleetResults& r) {
    step("preparing day " + std::to_string(fleet_.day - 1));
    day9_ = scratch_.file("fleet_day9.db");
    current_ = scratch_.file("fleet_current.db");
    remove_database(day9_);
    const FleetSample s = sync(sync_argv("incremental", day9_, fleet_.jobs, 0, fleet_.data_dir,
                                         {"--through-day", std::to_string(fleet_.day - 1)}));
    r.prepare_ms = s.wall_ms;
    copy_database(day9_, current_);
    sync(sync_argv("incremental", current_, fleet_.jobs, 0, fleet_.data_dir));
    empty_dir_ = scratch_.file("fleet_empty");
    std::filesystem::create_directories(empty_dir_);
  }

  void make_cases(FleetResults& r) {
    r.cases.push_back({"start", "`snapdelta --version`", 1, 1, {}, {}, {}, {}});
    r.cases.push_back({"start", "sync of an empty fleet", 1, 1, {}, {}, {}, {}});
    std::vector<int> jobs = {1};
    if (fleet_.jobs > 1) jobs.push_back(fleet_.jobs);
    for (const char* mode : {"full", "incremental", "noop"}) {
      for (int j : jobs) {
        const std::string how = j == 1 ? "--jobs 1 --threads 1" : fmt::format("--jobs {}", j);
        r.cases.push_back(
            {mode, fmt::format("{} sync, {}", mode, how), j, j == 1 ? 1 : 0, {}, {}, {}, {}});
      }
    }
  }

  std::string result_db(const FleetCase& c) const {
    return scratch_.file(fmt::format("fleet_{}_j{}.db", c.mode, c.jobs));
  }

  FleetSample run_case(const FleetCase& c) {
    if (c.mode == "start" && c.label.find("--version") != std::string::npos) {
      const ChildResult child = run_child({plan_.executable, "--version"});
      if (!child.ok())
        fail(plan_.executable + " --version", "expected success, found " + child.failure());
      return {child.wall_ms, child.cpu_ms, child.peak_rss_kb, 0, 0, 0, 0, 0, {}};
    }
    if (c.mode == "start") {
      return sync(sync_argv("incremental", scratch_.file("fleet_empty.db"), 1, 1, empty_dir_));
    }
    if (c.mode == "noop")
      return sync(sync_argv("incremental", current_, c.jobs, c.threads, fleet_.data_dir));
    const std::string db = result_db(c);
    if (c.mode == "full") {
      remove_database(db);
    } else {
      copy_database(day9_, db);
    }
    return sync(sync_argv(c.mode, db, c.jobs, c.threads, fleet_.data_dir));
  }

  void run_sample(FleetResults& r, int i) {
    std::vector<size_t> order(r.cases.size());
    for (size_t k = 0; k < order.size(); ++k) order[k] = i % 2 == 0 ? k : order.size() - 1 - k;
    for (size_t k : order) {
      FleetCase& c = r.cases[k];
      step(fmt::format("{}/{} {}", i + 1, fleet_.repeat, c.label));
      c.samples.push_back(run_case(c));
    }
    judge_sample(r);
  }

  // Every client of each full and incremental result against the full sync at --jobs <cores>.
  void judge_sample(FleetResults& r) {
    const FleetCase* reference = r.find("full", fleet_.jobs);
    const std::string expected = result_db(*reference);
    if (reference_.empty()) {  // the first sample's: the PostgreSQL workers are judged against it
      reference_ = scratch_.file("fleet_reference.db");
      copy_database(expected, reference_);
    }
    for (const auto& c : r.cases) {
      if (c.mode == "start" || &c == reference) continue;
      judge(r.exactness, expected, c.mode == "noop" ? current_ : result_db(c), c.label);
    }
    r.exactness.groups = 0;
    for (const auto& client : fleet_.client_names)
      r.exactness.groups += read_client_totals(expected, client).groups;
    malloc_trim(0);
  }

  void judge(FleetExactness& e, const std::string& expected, const std::string& actual,
             const std::string& label) {
    ++e.results_compared;
    for (const auto& client : fleet_.client_names) {
      const Comparison c = compare_rows(expected, actual, client, builtin_job());
      ++e.clients_compared;
      e.clients_exact += c.exact() ? 1 : 0;
      e.difference_count += c.difference_count;
      for (const auto& d : c.differences) {
        if (e.differences.size() < kListedDifferences)
          e.differences.push_back(fmt::format("{}, {}: {}", label, client, d));
      }
    }
  }

  // 1, 2 and 4 worker processes, each `sync --jobs 1 --threads 1`, into one fresh database.
  void run_postgres(FleetResults& r) {
    r.pg.server = db_.server_shown();
    r.pg.mode = "full";
    for (int w : kPgWorkers) r.pg.cases.push_back({w, {}, {}, {}});
    const int repeat = std::min(fleet_.repeat, kPgMaxRepeat);
    std::vector<std::vector<std::pair<std::string, double>>> client_phases;
    for (int i = 0; i < repeat; ++i) {
      for (size_t k = 0; k < r.pg.cases.size(); ++k) {
        PgWorkersCase& c = r.pg.cases[i % 2 == 0 ? k : r.pg.cases.size() - 1 - k];
        step(fmt::format("{}/{} PostgreSQL, {} worker(s)", i + 1, repeat, c.workers));
        c.samples.push_back(run_workers(c, client_phases));
      }
    }
    for (auto& c : r.pg.cases) {
      std::vector<double> wall;
      for (const auto& s : c.samples) wall.push_back(s.wall_ms);
      c.wall_ms = summarize(wall);
    }
    r.pg.phases_source = "the workers' `sync --json` lines (every client of every sample)";
    if (client_phases.empty()) client_phases = run_phase_children(r);
    r.pg.phases_ms = summarize_phases(client_phases);
  }

  FleetSample run_workers(PgWorkersCase& c,
                          std::vector<std::vector<std::pair<std::string, double>>>& phases) {
    const std::string db = db_.location(fmt::format("fleet_w{}", c.workers));
    db_.fresh(db);
    const std::vector<std::string> argv = sync_argv("full", db, 1, 1, fleet_.data_dir);
    const std::vector<ChildResult> children =
        run_children(std::vector<std::vector<std::string>>(static_cast<size_t>(c.workers), argv));
    FleetSample sum;
    for (const ChildResult& child : children) {
      const FleetSample s = parse_sync(child, argv, &phases);
      sum.wall_ms = std::max(sum.wall_ms, s.wall_ms);
      sum.cpu_ms += s.cpu_ms;
      sum.peak_rss_kb = std::max(sum.peak_rss_kb, s.peak_rss_kb);
      sum.clients = s.clients;
      sum.applied += s.applied;
      sum.rows_processed += s.rows_processed;
      sum.groups_written += s.groups_written;
    }
    judge(c.exactness, reference_, db, fmt::format("PostgreSQL, {} worker(s)", c.workers));
    db_.remove(db);
    malloc_trim(0);
    return sum;
  }

  // `run --mode full --json` of a few clients, each into a fresh database on the server.
  std::vector<std::vector<std::pair<std::string, double>>> run_phase_children(FleetResults& r) {
    step("PostgreSQL phases");
    std::vector<std::vector<std::pair<std::string, double>>> out;
    const std::string db = db_.location("fleet_phases");
    const int n = std::min(kPhaseClients, fleet_.clients);
    for (int i = 0; i < n; ++i) {
      db_.fresh(db);
      const std::vector<std::string> argv = {
          plan_.executable, "run",
          "--mode",         "full",
          "--client",       fleet_.client_names[static_cast<size_t>(i)],
          "--day",          std::to_string(fleet_.day),
          "--data-dir",     fleet_.data_dir,
          "--db",           db,
          "--threads",      "1",
          "--json"};
      const ChildResult child = run_child(argv);
      const RunSample s = parse_run_sample(child, argv);
      out.emplace_back(s.phases_ms);
    }
    db_.remove(db);
    r.pg.phases_source = fmt::format(
        "`snapdelta run --mode full --threads 1 --json` of {} client(s), each into a fresh "
        "database (sync --json reports no phases)",
        n);
    return out;
  }

  static std::vector<std::pair<std::string, Summary>> summarize_phases(
      const std::vector<std::vector<std::pair<std::string, double>>>& clients) {
    std::vector<std::pair<std::string, std::vector<double>>> values;
    for (const auto& phases : clients) {
      for (const auto& [name, ms] : phases) {
        auto it = std::find_if(values.begin(), values.end(),
                               [&n = name](const auto& p) { return p.first == n; });
        if (it == values.end()) {
          values.emplace_back(name, std::vector<double>{});
          it = values.end() - 1;
        }
        it->second.push_back(ms);
      }
    }
    std::vector<std::pair<std::string, Summary>> out;
    for (auto& [name, v] : values) out.emplace_back(name, summarize(std::move(v)));
    return out;
  }

  const BenchPlan& plan_;
  const FleetPlan& fleet_;
  const ScratchDir& scratch_;
  BenchDb& db_;
  ProgressBar progress_;
  uint64_t done_ = 0;
  std::string day9_, current_, empty_dir_, reference_;
};

}  // namespace

FleetResults run_fleet(const BenchPlan& plan, const ScratchDir& scratch, BenchDb& db) {
  return FleetRunner(plan, scratch, db).run();
}

}  // namespace snapdelta::bench
