// Tests for `snapdelta bench` (src/bench): the measuring child runner, the statistics, the row by
// row comparison of two databases, the state cache key, the SVG chart, and end to end: a --quick
// bench on tiny generated data writes every output file with every contract key (types only, no
// timing asserts), is exact, and has one day row per day. The peer test runs only when node and
// peers/node_modules are present (it never installs anything).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_outputs.h"
#include "bench/bench_plan.h"
#include "bench/bench_runner.h"
#include "bench/child_runner.h"
#include "bench/cleanup_on_signal.h"
#include "bench/container_report.h"
#include "bench/container_results.h"
#include "bench/markdown_report.h"
#include "bench/scratch_dir.h"
#include "bench/state_cache.h"
#include "bench/stats.h"
#include "bench/svg_chart.h"
#include "common/error.h"
#include "store/sqlite_compare.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace snapdelta;
using namespace snapdelta::bench;
using nlohmann::json;

namespace {

using snapdelta::test::TempDir;

std::string slurp(const std::string& path) { return snapdelta::test::read_file(path); }

void exec_sql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

constexpr const char* kSchema =
    "CREATE TABLE processed_sales(client_id TEXT, transaction_date TEXT, sku_id TEXT, "
    "total_quantity INTEGER, total_revenue REAL, order_count INTEGER);";

ChildResult run_bench_cli(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {SNAPDELTA_BINARY, "bench"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_child(argv);
}

// Starts `snapdelta bench ARGS` without waiting for it (output to /dev/null); returns its pid.
pid_t spawn_bench(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {SNAPDELTA_BINARY, "bench"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> raw;
  for (auto& a : argv) raw.push_back(a.data());
  raw.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(null_fd, STDOUT_FILENO);
    ::dup2(null_fd, STDERR_FILENO);
    ::execv(raw[0], raw.data());
    ::_exit(127);
  }
  return pid;
}

// The scratch directories (.snapdelta-bench-*) directly under `dir`.
std::vector<fs::path> scratch_dirs(const std::string& dir) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().rfind(kScratchPrefix, 0) == 0) found.push_back(it->path());
  }
  return found;
}

// Waits (up to a minute) until a scratch directory under `dir` holds a database, i.e. runs began.
bool wait_for_scratch_database(const std::string& dir) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& scratch : scratch_dirs(dir)) {
      std::error_code ec;
      for (fs::directory_iterator it(scratch, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".db") return true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// The contents of /proc/PID/NAME; "" when the process is gone (it may exit between the listing of
// /proc and the read, which then fails with ESRCH) or, for cmdline, while it is inside execve.
std::string read_proc_file(const fs::path& proc_entry, const char* name) {
  const int fd = ::open((proc_entry / name).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  std::string text;
  char buffer[4096];
  ssize_t got = 0;
  while ((got = ::read(fd, buffer, sizeof buffer)) > 0)
    text.append(buffer, static_cast<size_t>(got));
  ::close(fd);
  return got < 0 ? "" : text;
}

// The parent pid in /proc/PID/stat ("pid (comm) state ppid ...", comm may hold spaces), or -1.
pid_t parent_of(const fs::path& proc_entry) {
  const std::string stat = read_proc_file(proc_entry, "stat");
  const size_t comm_end = stat.rfind(')');
  if (comm_end == std::string::npos) return -1;
  std::istringstream rest(stat.substr(comm_end + 1));
  char state = 0;
  pid_t ppid = -1;
  rest >> state >> ppid;
  return rest ? ppid : -1;
}

// Processes (other than this test) whose command line mentions `needle` and `also`, and, when
// `parent` is not 0, whose parent is `parent`; from /proc.
int processes_mentioning(const std::string& needle, const std::string& also = "",
                         pid_t parent = 0) {
  int count = 0;
  std::error_code ec;
  for (fs::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (std::stoi(name) == ::getpid()) continue;
    const std::string cmdline = read_proc_file(it->path(), "cmdline");
    if (cmdline.find(needle) == std::string::npos || cmdline.find(also) == std::string::npos)
      continue;
    if (parent == 0 || parent_of(it->path()) == parent) ++count;
  }
  return count;
}

// Waits (up to 10 s) until no process mentions `needle`; returns how many still do.
int wait_until_no_process_mentions(const std::string& needle) {
  for (int i = 0; i < 500; ++i) {
    if (processes_mentioning(needle) == 0) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return processes_mentioning(needle);
}

void expect_number(const json& j, const std::string& pointer) {
  ASSERT_TRUE(j.contains(json::json_pointer(pointer))) << pointer;
  EXPECT_TRUE(j.at(json::json_pointer(pointer)).is_number()) << pointer;
}

}  // namespace

// ---- child runner -------------------------------------------------------------------------

TEST(ChildRunner, CapturesOutputExitCodeAndUsage) {
  ChildResult r = run_child({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_EQ(r.failure(), "err");
  EXPECT_GT(r.peak_rss_kb, 0);
  EXPECT_GT(r.wall_ms, 0);
  EXPECT_DOUBLE_EQ(r.cpu_ms, r.user_ms + r.sys_ms);
}

// A child that spins for a while is charged its own CPU time: most of its wall time, and no more
// than it (one thread), whatever the parent does meanwhile.
TEST(ChildRunner, ChargesTheChildItsOwnCpuTime) {
  const ChildResult r =
      run_child({"/bin/sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(r.cpu_ms, 20) << "a busy child was charged almost no CPU time";
  EXPECT_LE(r.cpu_ms, r.wall_ms + 20) << "a one-thread child was charged more CPU than wall time";
  EXPECT_DOUBLE_EQ(r.cpu_ms, r.user_ms + r.sys_ms);
}

TEST(ChildRunner, ReportsSignalsAndLargeOutput) {
  ChildResult r = run_child({"/bin/sh", "-c", "head -c 300000 /dev/zero; kill -9 $$"});
  EXPECT_EQ(r.out.size(), 300000u);  // more than a pipe buffer: both pipes are drained
  EXPECT_EQ(r.term_signal, 9);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.failure().find("signal 9"), std::string::npos);
}

TEST(ChildRunner, MissingProgramIsAnError) {
  EXPECT_THROW(run_child({"/nonexistent/program"}), Error);
  EXPECT_EQ(find_on_path("surely-not-a-program-here"), "");
  EXPECT_FALSE(find_on_path("sh").empty());
}

TEST(ChildRunner, PeakRssIsTheChildsOwn) {
  // A shell holding a 64 MiB string reports at least that; an empty child stays small.
  ChildResult big =
      run_child({"/bin/sh", "-c", "x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo ${#x}"});
  EXPECT_EQ(big.out, "67108864\n");
  ChildResult small = run_child({"/bin/true"});
  EXPECT_GT(big.peak_rss_kb, 60 * 1024);
#ifndef __SANITIZE_ADDRESS__
  // Not under ASan: a child's peak includes the fork's copy of its parent, and an ASan test
  // binary is itself larger than this bound.
  EXPECT_LT(small.peak_rss_kb, 30 * 1024);
#endif
}

// ---- stats, axis ----------------------------------------------------------------------------

TEST(Stats, MedianMinMax) {
  Summary odd = summarize({5, 1, 3});
  EXPECT_EQ(odd.median, 3);
  EXPECT_EQ(odd.min, 1);
  EXPECT_EQ(odd.max, 5);
  EXPECT_EQ(odd.n, 3u);
  EXPECT_EQ(summarize({4, 1, 3, 2}).median, 2.5);
  EXPECT_EQ(summarize({}).n, 0u);
}

TEST(SvgChart, NiceAxisCoversTheDataWithRoundSteps) {
  for (double max : {0.7, 9.0, 12.4, 99.0, 456.7, 1'900'000.0}) {
    Axis a = nice_axis(max);
    EXPECT_GE(a.max, max) << max;
    EXPECT_LE(a.max / a.step, 8.01) << max;
    const double mantissa = a.step / std::pow(10.0, std::floor(std::log10(a.step)));
    EXPECT_TRUE(mantissa == 1 || mantissa == 2 || mantissa == 2.5 || mantissa == 5) << a.step;
  }
  EXPECT_GT(nice_axis(0).max, 0);
}

TEST(SvgChart, WellFormedWithBothSeriesAndEscapedText) {
  Chart c;
  c.title = "a < b & c";
  c.x = {1, 2, 3};
  c.series = {{"full", "#00f", false, {10, 20, 30}}, {"incremental", "#f80", true, {5, 5, 5}}};
  c.bars = {100, 200, 300};
  c.bars_name = "rows";
  const std::string svg = render_svg(c);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("a &lt; b &amp; c"), std::string::npos);
  EXPECT_NE(svg.find("data-name=\"full\""), std::string::npos);
  EXPECT_NE(svg.find("data-name=\"incremental\""), std::string::npos);
  EXPECT_EQ(svg.find("a < b"), std::string::npos);
}

// ---- client rows ----------------------------------------------------------------------------

TEST(ClientRows, EqualDatabasesAreExact) {
  TempDir dir;
  for (const char* name : {"a.db", "b.db"}) {
    exec_sql(dir / name, std::string(kSchema) +
                             "INSERT INTO processed_sales VALUES('client_1','2025-10-01','SKU_1',3,"
                             "1.5,2),('client_1','2025-10-02','SKU_1',1,0.1,1),"
                             "('client_2','2025-10-01','SKU_9',9,9.0,9);");
  }
  Comparison c = compare_client_rows(dir / "a.db", dir / "b.db", "client_1");
  EXPECT_TRUE(c.exact());
  EXPECT_EQ(c.expected_groups, 2u);
  ClientTotals t = read_client_totals(dir / "a.db", "client_1");
  EXPECT_EQ(t.groups, 2u);
  EXPECT_EQ(t.total_quantity, 4);
  EXPECT_EQ(t.last_date, "2025-10-02");
}

TEST(ClientRows, ListsMissingExtraAndChangedGroups) {
  TempDir dir;
  exec_sql(dir / "full.db", std::string(kSchema) +
                                "INSERT INTO processed_sales VALUES"
                                "('c','2025-10-01','SKU_1',3,1.5,2),"
                                "('c','2025-10-01','SKU_2',1,0.3,1),"
                                "('c','2025-10-02','SKU_1',5,2.0,1);");
  exec_sql(dir / "incr.db", std::string(kSchema) +
                                "INSERT INTO processed_sales VALUES"
                                "('c','2025-10-01','SKU_1',3,1.5000000000000002,2),"
                                "('c','2025-10-02','SKU_1',5,2.0,1),"
                                "('c','2025-10-03','SKU_7',1,1.0,1);");
  Comparison c = compare_client_rows(dir / "full.db", dir / "incr.db", "c");
  EXPECT_FALSE(c.exact());
  EXPECT_EQ(c.difference_count, 3u);
  ASSERT_EQ(c.differences.size(), 3u);
  EXPECT_NE(c.differences[0].find("total_revenue"), std::string::npos);  // bit-exact REALs
  EXPECT_NE(c.differences[1].find("missing from the incremental"), std::string::npos);
  EXPECT_NE(c.differences[2].find("only in the incremental"), std::string::npos);
  EXPECT_THROW(compare_client_rows(dir / "full.db", dir / "absent.db", "c"), Error);
}

// ---- state cache ----------------------------------------------------------------------------

TEST(StateCache, KeyFollowsTheDataFilesAndTheJob) {
  TempDir dir;
  std::ofstream(dir / "day1.zip") << "one";
  std::ofstream(dir / "day2.zip") << "two";
  exec_sql(dir / "state.db", kSchema);
  const std::vector<std::string> files = {dir / "day1.zip", dir / "day2.zip"};
  StateCache cache(dir / "cache", "/bin/true", "client_1", "job a", files);
  EXPECT_FALSE(cache.has(1));
  cache.store(1, dir / "state.db");
  EXPECT_TRUE(cache.has(1));
  EXPECT_TRUE(StateCache(dir / "cache", "/bin/true", "client_1", "job a", files).has(1));
  EXPECT_FALSE(StateCache(dir / "cache", "/bin/true", "client_2", "job a", files).has(1));
  EXPECT_FALSE(StateCache(dir / "cache", "/bin/true", "client_1", "job b", files).has(1));
  std::ofstream(dir / "day1.zip") << "one, restated";  // size changes: a different key
  EXPECT_FALSE(StateCache(dir / "cache", "/bin/true", "client_1", "job a", files).has(1));
  EXPECT_FALSE(StateCache("", "/bin/true", "client_1", "job a", files).enabled());
}

// ---- scratch directory ----------------------------------------------------------------------

TEST(ScratchDir, NamedByPidAndRemovesOnlyDeadOwnersLeftovers) {
  TempDir dir;
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ASSERT_GT(dead, 0);
  ASSERT_EQ(::waitpid(dead, nullptr, 0), dead);
  const std::string stale = dir / (std::string(kScratchPrefix) + std::to_string(dead) + "-abc123");
  const std::string live =
      dir / (std::string(kScratchPrefix) + std::to_string(::getppid()) + "-def456");
  const std::string no_pid = dir / (std::string(kScratchPrefix) + "XYZ123");
  for (const auto& d : {stale, live, no_pid}) {
    fs::create_directories(fs::path(d) / "nested");
    std::ofstream(fs::path(d) / "nested" / "state.db") << "x";
  }
  std::string made;
  {
    ScratchDir scratch(dir.path());
    made = scratch.path();
    EXPECT_EQ(fs::path(made).filename().string().rfind(
                  std::string(kScratchPrefix) + std::to_string(::getpid()) + "-", 0),
              0u)
        << made;
    EXPECT_TRUE(fs::is_directory(made));
  }
  EXPECT_FALSE(fs::exists(made));
  EXPECT_FALSE(fs::exists(stale));  // its process is gone
  EXPECT_TRUE(fs::exists(live));    // a running process's (this test's parent)
  EXPECT_TRUE(fs::exists(no_pid));  // cannot tell whose: left alone
}

TEST(ScratchDir, SignalSafeRemovalEmptiesNestedTrees) {
  TempDir dir;
  const fs::path root = fs::path(dir.path()) / "tree";
  for (int i = 0; i < 300; ++i) {  // more entries than one getdents64 buffer holds
    fs::create_directories(root / ("d" + std::to_string(i % 7)) / "deeper");
    std::ofstream(root / ("d" + std::to_string(i % 7)) /
                  ("file-with-a-long-name-" + std::to_string(i) + ".db"))
        << i;
    std::ofstream(root / ("d" + std::to_string(i % 7)) / "deeper" / std::to_string(i)) << i;
  }
  fs::create_symlink("/", root / "link-to-root");  // removed as a link, never followed
  EXPECT_TRUE(remove_tree_signal_safe(root.c_str()));
  EXPECT_FALSE(fs::exists(root));
  EXPECT_TRUE(remove_tree_signal_safe(root.c_str()));  // already gone is fine
}

TEST(ScratchDir, SigtermedBenchRemovesItsScratchAndItsChildren) {
  TempDir dir;
  const pid_t bench =
      spawn_bench({"--quick", "--out", dir.path(), "--day", "3", "--repeat", "500"});
  ASSERT_GT(bench, 0);
  ASSERT_TRUE(wait_for_scratch_database(dir.path())) << "the bench never started its runs";
  ASSERT_EQ(::kill(bench, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(bench, &status, 0), bench);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << status;  // it still dies of the signal
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_TRUE(scratch_dirs(dir.path()).empty());
  EXPECT_EQ(wait_until_no_process_mentions(dir.path()), 0);  // no measured run lives on
  EXPECT_TRUE(scratch_dirs(dir.path()).empty());             // nor comes back
  EXPECT_FALSE(fs::exists(dir / "results.json"));
}

TEST(ScratchDir, BenchAfterASigkilledOneRemovesItsLeftovers) {
  TempDir dir;
  const pid_t bench =
      spawn_bench({"--quick", "--out", dir.path(), "--day", "3", "--repeat", "500"});
  ASSERT_GT(bench, 0);
  ASSERT_TRUE(wait_for_scratch_database(dir.path())) << "the bench never started its runs";
  ASSERT_EQ(::kill(bench, SIGKILL), 0);
  ASSERT_EQ(::waitpid(bench, nullptr, 0), bench);
  EXPECT_EQ(scratch_dirs(dir.path()).size(), 1u);            // SIGKILL cannot be caught
  EXPECT_EQ(wait_until_no_process_mentions(dir.path()), 0);  // children die with their parent

  ChildResult next = run_bench_cli({"--quick", "--out", dir.path(), "--day", "2"});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_TRUE(scratch_dirs(dir.path()).empty());
}

// SIGKILLs and reaps a forked bench that a test left before reaping it (a failed assertion), so a
// failure leaves neither the bench nor its children running, nor this test's output pipe held.
class KillOnExit {
 public:
  explicit KillOnExit(pid_t pid) : pid_(pid) {}
  KillOnExit(const KillOnExit&) = delete;
  KillOnExit& operator=(const KillOnExit&) = delete;
  ~KillOnExit() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  void reaped() { pid_ = 0; }

 private:
  pid_t pid_;
};

// A killed bench takes its running child along, even one that lingers after its run (a stand-in
// binary: the real snapdelta, then a shell named `lingering` that sleeps 30 s with the scratch path
// on its command line). SIGTERM goes through the handler; SIGKILL through the child's parent-death
// signal. Only the lingering shell, the bench's own child, may say "lingering": the stand-in's
// name must not, or the bench would be killed while the stand-in still runs the real snapdelta
// (a grandchild, which no parent-death signal covers) and the lingering child would go untested.
class KilledBench : public ::testing::TestWithParam<int> {};

TEST_P(KilledBench, TakesItsLingeringChildAlong) {
  const int sig = GetParam();
  TempDir dir;
  const std::string wrapper = dir / "stand-in-snapdelta";
  std::ofstream(wrapper) << "#!/bin/sh\n\"" SNAPDELTA_BINARY
                            "\" \"$@\" || exit $?\n"
                            "case \" $* \" in *\" --mode \"*) exec /bin/sh -c 'sleep 30; :' "
                            "lingering \"$@\";; esac\n";
  fs::permissions(wrapper, fs::perms::owner_all);
  ASSERT_EQ(wrapper.find("lingering"), std::string::npos);
  BenchOptions o;
  o.quick = true;
  o.day = 2;
  o.out = dir.path();
  o.out_given = true;
  o.executable = wrapper;
  const BenchPlan plan = make_plan(o);
  const pid_t bench = ::fork();
  if (bench == 0) {
    const int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(null_fd, STDOUT_FILENO);
    ::dup2(null_fd, STDERR_FILENO);
    try {
      run_bench(plan);
    } catch (...) {
    }
    ::_exit(0);
  }
  ASSERT_GT(bench, 0);
  KillOnExit bench_guard(bench);
  // The first measured run has written its database, and its stand-in now lingers.
  ASSERT_TRUE(wait_for_scratch_database(dir.path())) << "the bench never started its runs";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (processes_mentioning(dir.path(), "lingering", bench) == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(processes_mentioning(dir.path(), "lingering", bench), 1) << "no lingering child";
  ASSERT_EQ(::kill(bench, sig), 0);
  int status = 0;
  const pid_t waited = ::waitpid(bench, &status, 0);
  if (waited == bench) bench_guard.reaped();
  ASSERT_EQ(waited, bench);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << status;
  EXPECT_EQ(WTERMSIG(status), sig);
  EXPECT_EQ(wait_until_no_process_mentions(dir.path()), 0);  // well before its 30 s are up
  EXPECT_EQ(scratch_dirs(dir.path()).size(), sig == SIGKILL ? 1u : 0u);
}

INSTANTIATE_TEST_SUITE_P(Signals, KilledBench, ::testing::Values(SIGTERM, SIGINT, SIGKILL),
                         [](const auto& info) { return std::string(sigabbrev_np(info.param)); });

// ---- plan -----------------------------------------------------------------------------------

TEST(BenchPlan, MissingDataSaysHowToGetIt) {
  TempDir dir;
  BenchOptions o;
  o.data_dir = dir / "nothing";
  o.executable = "/bin/true";
  try {
    make_plan(o);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("snapdelta generate"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
  o.quick = true;
  o.out = dir.path();
  o.out_given = true;
  o.data_dir_given = false;
  BenchPlan p = make_plan(o);
  EXPECT_EQ(p.repeat, 1);
  EXPECT_FALSE(p.generate_args.empty());
  EXPECT_EQ(p.data_dir, dir / "data-quick");
  EXPECT_EQ(p.out, dir.path());
  o.out_given = false;  // --quick without --out: a folder of its own
  p = make_plan(o);
  EXPECT_EQ(p.out, "results-quick");
  EXPECT_EQ(p.data_dir, "results-quick/data-quick");
}

TEST(MarkdownReport, GroupsThousands) {
  EXPECT_EQ(group_thousands(0), "0");
  EXPECT_EQ(group_thousands(999), "999");
  EXPECT_EQ(group_thousands(1000), "1,000");
  EXPECT_EQ(group_thousands(1900000), "1,900,000");
}

// ---- end to end -----------------------------------------------------------------------------

// results.json of a --quick bench with --repeat 2: the top level and both pipelines.
void expect_pipeline_keys(const json& j) {
  expect_number(j, "/speedup");
  // The documented definition: full wall median / incremental wall median, rounded to 0.01.
  const double ratio = j["full"]["stats"]["wall_ms"]["median"].get<double>() /
                       j["incremental"]["stats"]["wall_ms"]["median"].get<double>();
  EXPECT_NEAR(j["speedup"].get<double>(), ratio, 0.006 + ratio * 0.01) << j.dump();
  ASSERT_TRUE(j["exact"].is_boolean());
  EXPECT_TRUE(j["exact"].get<bool>());
  for (const std::string mode : {"full", "incremental"}) {
    expect_number(j, "/" + mode + "/total_ms");
    expect_number(j, "/" + mode + "/in_process_total_ms");
    expect_number(j, "/" + mode + "/cpu_ms");
    expect_number(j, "/" + mode + "/peak_rss_kb");
    EXPECT_TRUE(j[mode]["peak_rss_kb"].is_number_integer());
    EXPECT_GT(j[mode]["peak_rss_kb"].get<long>(), 0);
    EXPECT_EQ(j[mode]["runs"].size(), 2u);
    expect_number(j, "/" + mode + "/stats/wall_ms/median");
    expect_number(j, "/" + mode + "/stats/wall_ms/min");
    expect_number(j, "/" + mode + "/stats/wall_ms/max");
  }
  for (const char* phase : {"read_decompress", "parse_aggregate", "db_write", "total"}) {
    expect_number(j, std::string("/full/phases_ms/") + phase);
  }
  for (const char* phase :
       {"state_read", "prefix_check", "decompress", "parse_aggregate", "db_write", "total"}) {
    expect_number(j, std::string("/incremental/phases_ms/") + phase);
  }
  expect_number(j, "/memory_reduction_pct");
  expect_number(j, "/speedup_in_process");
  EXPECT_EQ(j["exactness"]["difference_count"], 0);
  EXPECT_GT(j["exactness"]["groups"].get<int>(), 0);
}

void expect_conditions(const json& c, int days) {
  EXPECT_EQ(c["client"], "client_1");
  EXPECT_EQ(c["day"], days);
  EXPECT_GT(c["rows_in_file"].get<long>(), 0);
  EXPECT_GT(c["new_rows"].get<long>(), 0);
  EXPECT_LT(c["new_rows"].get<long>(), c["rows_in_file"].get<long>());
  EXPECT_GT(c["groups"].get<long>(), 0);
  for (const char* key : {"cpu_model", "compiler", "build_type", "date", "os"}) {
    EXPECT_TRUE(c[key].is_string()) << key;
    EXPECT_FALSE(c[key].get<std::string>().empty()) << key;
  }
  EXPECT_TRUE(c["cores"].is_number_integer());
  for (const char* lib : {"zlib", "SQLite", "ISA-L", "fmt"}) {
    EXPECT_TRUE(c["libraries"][lib].is_string()) << lib;
  }
  EXPECT_TRUE(c["process_floor_rss_kb"].is_number());
  EXPECT_TRUE(c["load_average_start"].is_number());
  EXPECT_TRUE(c["quick"].get<bool>());
}

// One row per day; day K is the repeated pairs, the others min(--repeat, 3) runs of their own.
void expect_days(const json& j, int days) {
  ASSERT_TRUE(j["days"].is_array());
  ASSERT_EQ(j["days"].size(), static_cast<size_t>(days));
  for (int d = 0; d < days; ++d) {
    const json& day = j["days"][d];
    EXPECT_EQ(day["day"], d + 1);
    EXPECT_TRUE(day["full_ms"].is_number());
    EXPECT_TRUE(day["incremental_ms"].is_number());
    EXPECT_GT(day["rows_in_file"].get<long>(), 0);
    EXPECT_TRUE(day["exact"].get<bool>());
  }
  EXPECT_EQ(j["days"][0]["incremental_path"], "first-run");
  EXPECT_EQ(j["days"][0]["samples"], "day_runs");
  EXPECT_EQ(j["days"][0]["n"], 2);  // min(--repeat, 3) runs per earlier day
  // Day K in the table is the repeated pairs: the same figures as the headline.
  const json& last_day = j["days"][days - 1];
  EXPECT_EQ(last_day["samples"], "repeated_pairs");
  EXPECT_EQ(last_day["full_ms"], j["full"]["total_ms"]);
  EXPECT_EQ(last_day["incremental_ms"], j["incremental"]["total_ms"]);
  EXPECT_EQ(last_day["stats"]["incremental"]["wall_ms"]["n"], 2);
  EXPECT_EQ(j["speedup_pairs"]["n"], 2);
}

// The figure (time and memory panels) and its PNG, or the line saying why there is none.
void expect_chart(const TempDir& dir, const ChildResult& r) {
  const std::string svg = slurp(dir / "results_days.svg");
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("data-name=\"full"), std::string::npos);
  EXPECT_NE(svg.find("data-name=\"incremental"), std::string::npos);
  EXPECT_NE(svg.find("rows in the"), std::string::npos);
  EXPECT_NE(svg.find("peak memory per run"), std::string::npos);  // the second panel
  EXPECT_EQ(std::count(svg.begin(), svg.end(), '<'), std::count(svg.begin(), svg.end(), '>'));
  if (!find_on_path("rsvg-convert").empty()) {
    EXPECT_EQ(slurp(dir / "results_days.png").substr(0, 4), "\x89PNG");
    EXPECT_NE(r.out.find("results_days.png"), std::string::npos) << r.out;
  } else {
    EXPECT_NE(r.out.find("rsvg-convert not found"), std::string::npos) << r.out;
  }
}

// The report: every section, the exactness line, the chart link, its terms.
void expect_report_sections(const std::string& md) {
  for (const char* section :
       {"## Benchmark conditions", "## Baseline (full)", "## Optimized (incremental)",
        "## Improvements", "## Correctness", "## Day by day"}) {
    EXPECT_NE(md.find(section), std::string::npos) << section;
  }
  EXPECT_NE(md.find("**exact: "), std::string::npos);
  EXPECT_NE(md.find("Speed multiplier"), std::string::npos);
  EXPECT_NE(md.find("Memory reduction"), std::string::npos);
  EXPECT_NE(md.find("](results_days.svg)"), std::string::npos);
  EXPECT_NE(md.find("## Terms"), std::string::npos);
  EXPECT_NE(md.find("## How to read this report"), std::string::npos);
  EXPECT_EQ(md.find("## Peers"), std::string::npos);
  EXPECT_EQ(md.find("seed"), std::string::npos);  // no peers: the seed's method is not mentioned
}

TEST(BenchEndToEnd, QuickRunWritesEveryOutputWithTheContractKeys) {
  TempDir dir;
  constexpr int kDays = 4;
  ChildResult r = run_bench_cli({"--quick", "--out", dir.path(), "--day", std::to_string(kDays),
                                 "--repeat", "2", "--db-cache", dir / "cache"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("exact:"), std::string::npos) << r.out;
  // Tiny data on a busy machine: either way round, but said.
  EXPECT_TRUE(r.out.find("x faster") != std::string::npos ||
              r.out.find("x slower") != std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("peak memory"), std::string::npos) << r.out;

  // results.json: every contract key, with sane types.
  const json j = json::parse(slurp(dir / "results.json"));
  expect_pipeline_keys(j);
  expect_conditions(j["conditions"], kDays);
  expect_days(j, kDays);
  EXPECT_FALSE(j.contains("peers"));  // not requested
  expect_chart(dir, r);
  expect_report_sections(slurp(dir / "results.md"));

  // No scratch databases are left behind; the cache kept days 1..K-1.
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().filename().string().rfind(".snapdelta-bench-", 0), std::string::npos);
  }
  size_t cached = 0;
  for (const auto& entry : fs::directory_iterator(dir / "cache"))
    cached += entry.path().extension() == ".db";
  EXPECT_EQ(cached, static_cast<size_t>(kDays - 1));

  // A second run reuses the cached state and says so.
  ChildResult again = run_bench_cli({"--quick", "--out", dir.path(), "--day", std::to_string(kDays),
                                     "--db-cache", dir / "cache"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(
      json::parse(slurp(dir / "results.json"))["conditions"]["state_from_cache"].get<bool>());
}

TEST(BenchEndToEnd, QuickWritesToItsOwnFolderAndNeverOverTheRealReport) {
  TempDir dir;
  const std::string real_json = R"({"schema":"snapdelta-bench/2","conditions":{"quick":false}})";
  std::ofstream(dir / "results.md") << "the real report";
  std::ofstream(dir / "results.json") << real_json;
  std::ofstream(dir / "results_days.svg") << "<svg>the real chart</svg>";
  auto real_untouched = [&] {
    EXPECT_EQ(slurp(dir / "results.md"), "the real report");
    EXPECT_EQ(slurp(dir / "results.json"), real_json);
    EXPECT_EQ(slurp(dir / "results_days.svg"), "<svg>the real chart</svg>");
  };

  // No --out: ./results-quick, data included.
  ChildResult quick =
      run_child({SNAPDELTA_BINARY, "bench", "--quick", "--day", "2"}, ChildOptions{dir.path()});
  ASSERT_EQ(quick.exit_code, 0) << quick.err;
  real_untouched();
  const json j = json::parse(slurp(dir / "results-quick/results.json"));
  EXPECT_TRUE(j["conditions"]["quick"].get<bool>());
  EXPECT_TRUE(fs::is_regular_file(dir / "results-quick/results.md"));
  EXPECT_TRUE(fs::is_regular_file(dir / "results-quick/results_days.svg"));
  EXPECT_TRUE(fs::is_directory(dir / "results-quick/data-quick"));
  EXPECT_NE(quick.out.find("results-quick/results.md"), std::string::npos) << quick.out;

  // --out naming the real report's folder: refused before anything runs.
  ChildResult over = run_bench_cli({"--quick", "--day", "2", "--out", dir.path()});
  EXPECT_EQ(over.exit_code, 2);
  EXPECT_EQ(std::count(over.err.begin(), over.err.end(), '\n'), 1) << over.err;
  EXPECT_NE(over.err.find("results.json"), std::string::npos) << over.err;
  real_untouched();
  EXPECT_TRUE(scratch_dirs(dir.path()).empty());

  // A quick report may replace a quick report.
  ChildResult again = run_bench_cli({"--quick", "--day", "2", "--out", dir / "results-quick"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  real_untouched();
}

TEST(BenchEndToEnd, AWrongIncrementalResultIsReportedNotHidden) {
  if (find_on_path("sqlite3").empty()) GTEST_SKIP() << "needs the sqlite3 shell";
  TempDir dir;
  // A stand-in binary: the real snapdelta, then one incremental group's quantity is bumped.
  const std::string wrapper = dir / "corrupting-snapdelta";
  std::ofstream(wrapper) << "#!/bin/sh\n\"" SNAPDELTA_BINARY
                            "\" \"$@\" || exit $?\n"
                            "mode=; db=\n"
                            "while [ $# -gt 0 ]; do case \"$1\" in --mode) mode=$2; shift;; "
                            "--db) db=$2; shift;; esac; shift; done\n"
                            "[ \"$mode\" = incremental ] || exit 0\n"
                            "exec sqlite3 \"$db\" \"UPDATE processed_sales SET total_quantity = "
                            "total_quantity + 1 WHERE (transaction_date, sku_id) = (SELECT "
                            "transaction_date, sku_id FROM processed_sales ORDER BY 1 DESC, 2 DESC "
                            "LIMIT 1)\"\n";
  fs::permissions(wrapper, fs::perms::owner_all);
  BenchOptions o;
  o.quick = true;
  o.day = 2;
  o.out = dir.path();
  o.out_given = true;
  o.executable = wrapper;
  const BenchResults r = run_bench(make_plan(o));
  EXPECT_FALSE(r.exact());
  EXPECT_FALSE(r.comparison.exact());
  ASSERT_FALSE(r.comparison.differences.empty());
  EXPECT_NE(r.comparison.differences[0].find("total_quantity"), std::string::npos)
      << r.comparison.differences[0];
  const OutputFiles files = write_outputs(r, dir.path());
  EXPECT_NE(slurp(files.markdown).find("**NOT exact"), std::string::npos);
  EXPECT_FALSE(json::parse(slurp(files.json))["exact"].get<bool>());
  EXPECT_NE(summary(r, files).find("NOT exact"), std::string::npos);
}

TEST(BenchEndToEnd, PeersWithoutTheirScriptsAreSkippedWithOneLine) {
  TempDir dir;
  ChildResult r = run_bench_cli({"--quick", "--out", dir.path(), "--day", "2", "--peers",
                                 "--peers-dir", dir / "no-peers-here"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("peers skipped"), std::string::npos) << r.out;
  const json j = json::parse(slurp(dir / "results.json"));
  ASSERT_TRUE(j.contains("peers"));
  EXPECT_FALSE(j["peers"]["ran"].get<bool>());
  EXPECT_TRUE(j["peers"]["skipped"].is_string());
  EXPECT_NE(slurp(dir / "results.md").find("## Peers"), std::string::npos);
}

TEST(BenchEndToEnd, MissingDataIsAOneLineErrorWithExitCode2) {
  TempDir dir;
  ChildResult r = run_bench_cli({"--data-dir", dir / "absent", "--out", dir.path()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("snapdelta generate"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(BenchEndToEnd, PeersRunWhenNodeAndModulesArePresent) {
  const std::string peers = std::string(SNAPDELTA_SOURCE_DIR) + "/peers";
  if (find_on_path("node").empty() || !fs::is_directory(peers + "/node_modules")) {
    // In CI (CI=true) scripts/install-deps.sh must have installed them: missing is a failure.
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true")
      FAIL() << "expected node and peers/node_modules in CI, found one missing (npm ci in peers/)";
    GTEST_SKIP() << "node or peers/node_modules missing (run npm ci in peers/)";
  }
  TempDir dir;
  ChildResult r = run_bench_cli(
      {"--quick", "--out", dir.path(), "--day", "3", "--peers", "--peers-dir", peers});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(slurp(dir / "results.json"));
  ASSERT_TRUE(j["peers"]["ran"].get<bool>()) << j["peers"].dump();
  ASSERT_EQ(j["peers"]["results"].size(), 6u);  // 2 engines x full, incremental, startup
  for (const json& row : j["peers"]["results"]) {
    EXPECT_TRUE(row["engine"] == "polars" || row["engine"] == "duckdb");
    EXPECT_TRUE(row["version"].is_string());
    EXPECT_TRUE(row["median_ms"].is_number());
    EXPECT_GT(row["peak_rss_kb"].get<long>(), 0);
    if (row["mode"] == "startup") {
      EXPECT_TRUE(row["ratio_vs_snapdelta_full"].is_null());
      continue;
    }
    EXPECT_TRUE(row["ratio_vs_snapdelta_full"].is_number());
    EXPECT_GT(row["groups"].get<long>(), 0);
    if (row["mode"] == "full") {
      EXPECT_TRUE(row["matches_snapdelta"].get<bool>()) << row.dump();
    }
  }
  EXPECT_TRUE(j["peers"]["mismatches"].empty());
  EXPECT_NE(slurp(dir / "results.md").find("## Peers"), std::string::npos);
}

// Every container of --container all: its row, route, exactness and the targets; every missed
// target named in the section and in the headline.
TEST(BenchEndToEnd, ContainersSectionMeasuresEveryContainerAndNamesMissedTargets) {
  TempDir dir;
  ChildResult r =
      run_bench_cli({"--quick", "--out", dir.path(), "--day", "2", "--container", "all"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("containers exact"), std::string::npos) << r.out;
  const json j = json::parse(slurp(dir / "results.json"));
  const json& c = j["containers"];
  ASSERT_TRUE(c.is_object()) << j.dump();
  const std::vector<std::string> names = {"zip", "gzip", "gzip-append",
                                          "csv", "zstd", "zstd-append"};
  ASSERT_EQ(c["results"].size(), names.size());
  const std::string md = slurp(dir / "results.md");
  for (size_t i = 0; i < names.size(); ++i) {
    const json& row = c["results"][i];
    EXPECT_EQ(row["container"], names[i]);
    EXPECT_TRUE(row["exact"].get<bool>()) << row.dump();
    EXPECT_FALSE(row["route"].get<std::string>().empty());
    for (const char* k : {"wall_ms", "cpu_ms", "peak_rss_kb"}) {
      EXPECT_EQ(row["full"][k]["n"], 1) << k;
      EXPECT_EQ(row["incremental"][k]["n"], 1) << k;
    }
    EXPECT_NE(md.find("| " + names[i] + " | "), std::string::npos) << names[i];
  }
  EXPECT_EQ(c["results"][0]["route"], "checkpoint");  // zip
  EXPECT_EQ(c["targets"].size(), 4u + names.size());
  const std::string head = md.substr(0, md.find("## "));
  EXPECT_NE(head.find("**Containers** (zip, gzip"), std::string::npos) << head;
  EXPECT_NE(md.find("## Containers"), std::string::npos);
  for (const auto& name : c["missed"]) {
    EXPECT_NE(head.find(name.get<std::string>()), std::string::npos) << name;
  }
}

TEST(BenchEndToEnd, AnUnknownContainerIsAOneLineError) {
  TempDir dir;
  ChildResult r = run_bench_cli({"--quick", "--out", dir.path(), "--container", "zip,rar"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--container: expected a comma list of zip, gzip"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("\"rar\""), std::string::npos) << r.err;
}

namespace {

RunSample timed(const std::string& path, double wall_ms) {
  RunSample s;
  s.path = path;
  s.wall_ms = wall_ms;
  return s;
}

ContainerRow container_row(const std::string& name, double full_ms, double incremental_ms) {
  ContainerRow row;
  row.container = name;
  row.full = Runs::from({timed("full", full_ms)});
  row.incremental = Runs::from({timed("checkpoint", incremental_ms)});
  return row;
}

}  // namespace

// A gzip twice as slow as ZIP, a CSV no faster and a zstd barely faster than its full: each of
// those targets is missed and named; the others are met; without zstd-append its target is
// "not measured", never missed.
TEST(ContainerResults, MissedTargetsAreNamedAndUnmeasuredOnesAreNot) {
  ContainerResults r;
  r.client = "client_1";
  r.day = 2;
  r.repeat = 1;
  r.rows = {container_row("zip", 500, 100), container_row("gzip", 800, 200),
            container_row("gzip-append", 500, 90), container_row("csv", 400, 100),
            container_row("zstd", 300, 200)};
  const std::vector<std::string> missed = r.missed();
  const std::vector<std::string> expected = {"gzip (rewritten) incremental vs ZIP's",
                                             "plain CSV incremental vs ZIP's",
                                             "zstd incremental vs its full"};
  EXPECT_EQ(missed, expected);
  const std::string md = containers_markdown(r);
  EXPECT_NE(md.find("Missed: gzip (rewritten) incremental vs ZIP's; plain CSV"), std::string::npos)
      << md;
  EXPECT_NE(md.find("| zstd-append incremental vs ZIP's | ≤ 1.00× (no slower) | n/a | not "
                    "measured |"),
            std::string::npos)
      << md;
  const auto j = containers_json(r);
  EXPECT_EQ(j["missed"].size(), 3u);
  EXPECT_EQ(j["results"][1]["speedup"], 4.0);
  EXPECT_NE(containers_summary(r).find("container targets MISSED: gzip (rewritten)"),
            std::string::npos);
}
