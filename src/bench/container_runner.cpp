#include "bench/container_runner.h"

#include <fmt/format.h>
#include <malloc.h>

#include <chrono>
#include <filesystem>

#include "bench/child_runner.h"
#include "common/error.h"
#include "common/progress_bar.h"
#include "job/builtin_job.h"
#include "job/pattern_override.h"

namespace snapdelta::bench {
namespace fs = std::filesystem;
namespace {

constexpr size_t kListedDifferences = 10;

// The job a container's children run: the built-in one with that container's --pattern, as the
// databases they made store it.
Job container_job(const std::string& container) {
  Job job = builtin_job();
  override_pattern(job, container_pattern(container));
  return job;
}

class ContainerRunner {
 public:
  ContainerRunner(const BenchPlan& plan, const ScratchDir& scratch, BenchDb& db)
      : plan_(plan),
        cp_(plan.containers),
        scratch_(scratch),
        db_(db),
        progress_("bench: containers", steps()) {}

  ContainerResults run() {
    const auto start = std::chrono::steady_clock::now();
    ContainerResults r;
    r.client = cp_.client;
    r.day = cp_.day;
    r.repeat = plan_.repeat;
    for (size_t c = 0; c < n(); ++c) prepare(c);
    std::vector<std::vector<RunSample>> fulls(n()), incrementals(n());
    std::vector<Comparison> comparisons(n());
    for (int i = 0; i < plan_.repeat; ++i) {
      for (size_t k = 0; k < n(); ++k) {
        const size_t c = i % 2 == 0 ? k : n() - 1 - k;
        run_pair(i, c, fulls[c], incrementals[c], comparisons[c]);
      }
    }
    for (size_t c = 0; c < n(); ++c) {
      ContainerRow row;
      row.container = cp_.containers[c];
      row.file = drop(c, cp_.day);
      std::error_code ec;
      row.file_bytes = fs::file_size(row.file, ec);
      row.full = Runs::from(std::move(fulls[c]));
      row.incremental = Runs::from(std::move(incrementals[c]));
      row.comparison = std::move(comparisons[c]);
      r.rows.push_back(std::move(row));
    }
    if (!r.rows.empty() && !r.rows.front().full.samples.empty()) {
      r.rows_in_file = r.rows.front().full.samples.back().rows_in_file;
      r.new_rows = r.rows.front().incremental.samples.back().rows_processed;
    }
    progress_.finish();
    r.elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return r;
  }

 private:
  size_t n() const { return cp_.containers.size(); }
  uint64_t steps() const { return n() * (2 + 2 * static_cast<uint64_t>(plan_.repeat)); }
  void step(const std::string& label) {
    progress_.update(done_++);
    progress_.set_label("bench: containers " + label);
  }

  std::string data_dir(size_t c) const { return scratch_.file("containers/" + cp_.containers[c]); }
  std::string drop(size_t c, int day) const {
    std::string p = container_pattern(cp_.containers[c]);
    p.replace(p.find("{client}"), 8, cp_.client);
    p.replace(p.find("{day}"), 5, std::to_string(day));
    return data_dir(c) + "/" + p;
  }
  std::string name(size_t c, const char* what) {
    std::string id = cp_.containers[c];
    for (char& ch : id) ch = ch == '-' ? '_' : ch;
    return db_.location(fmt::format("container_{}_{}", id, what));
  }

  void check(const ChildResult& child, const std::vector<std::string>& argv) {
    if (!child.ok()) fail(render_command(argv), "expected success, found " + child.failure());
  }

  // Writes the container's drops, then day K-1's state.
  void prepare(size_t c) {
    const std::string& container = cp_.containers[c];
    step("generating " + container);
    std::vector<std::string> argv = {plan_.executable};
    const std::vector<std::string> gen = cp_.generate_args(container, data_dir(c));
    argv.insert(argv.end(), gen.begin(), gen.end());
    check(run_child(argv), argv);
    step(fmt::format("{} day {} state", container, cp_.day - 1));
    db_.fresh(name(c, "base"));
    run_pipeline(c, "incremental", cp_.day - 1, name(c, "base"));
  }

  RunSample run_pipeline(size_t c, const std::string& mode, int day, const std::string& db) {
    const std::vector<std::string> argv = {
        plan_.executable, "run",       "--mode",    mode,
        "--client",       cp_.client,  "--day",     std::to_string(day),
        "--data-dir",     data_dir(c), "--pattern", container_pattern(cp_.containers[c]),
        "--db",           db,          "--json"};
    RunSample s = parse_run_sample(run_child(argv), argv);
    malloc_trim(0);  // keep this parent small: fork() copies it into the next child's RSS
    return s;
  }

  void run_pair(int i, size_t c, std::vector<RunSample>& fulls,
                std::vector<RunSample>& incrementals, Comparison& comparison) {
    const std::string full_db = name(c, "full"), incr_db = name(c, "incr");
    const std::string label = fmt::format("{}/{} {}", i + 1, plan_.repeat, cp_.containers[c]);
    auto full = [&] {
      step(label + " full");
      db_.fresh(full_db);
      fulls.push_back(run_pipeline(c, "full", cp_.day, full_db));
    };
    auto incremental = [&] {
      step(label + " incr");
      db_.copy(name(c, "base"), incr_db);
      incrementals.push_back(run_pipeline(c, "incremental", cp_.day, incr_db));
    };
    if (i % 2 == 0) {
      full();
      incremental();
    } else {
      incremental();
      full();
    }
    const Comparison cmp =
        compare_rows(full_db, incr_db, cp_.client, container_job(cp_.containers[c]));
    comparison.expected_groups = cmp.expected_groups;
    comparison.actual_groups = cmp.actual_groups;
    comparison.difference_count += cmp.difference_count;
    for (const auto& d : cmp.differences) {
      if (comparison.differences.size() < kListedDifferences)
        comparison.differences.push_back(fmt::format("run {}: {}", i + 1, d));
    }
  }

  const BenchPlan& plan_;
  const ContainerPlan& cp_;
  const ScratchDir& scratch_;
  BenchDb& db_;
  ProgressBar progress_;
  uint64_t done_ = 0;
};

}  // namespace

ContainerResults run_containers(const BenchPlan& plan, const ScratchDir& scratch, BenchDb& db) {
  return ContainerRunner(plan, scratch, db).run();
}

}  // namespace snapdelta::bench
