// Crash safety: SIGKILL full and incremental runs of the `snapdelta` binary at random moments, then
// check that the database is intact and holds either the old or the new state (never a mix), and
// that rerunning the same command ends bit-identical to a reference built by clean full runs.
//
// The default run kills a handful of runs (CI). Long mode: SNAPDELTA_LONG=1 (200 kills) or
// SNAPDELTA_CRASH_KILLS=N; SNAPDELTA_SEED=S replays a sequence; see scripts/crash-soak.sh.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

// ---- child processes -------------------------------------------------------------------------

struct ChildResult {
  int exit_code = -1;  // when not signaled
  int signal = 0;      // the signal that ended the child, or 0
  std::string out, err;
  long max_rss_kb = 0;
  double ms = 0;
  bool ok() const { return signal == 0 && exit_code == 0; }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A `snapdelta` child with stdout/stderr captured in files under `scratch`.
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& scratch) {
    static int counter = 0;
    const std::string tag = std::to_string(::getpid()) + "-" + std::to_string(++counter);
    out_ = scratch / ("child-" + tag + ".out");
    err_ = scratch / ("child-" + tag + ".err");
    std::vector<std::string> argv_s{SNAPDELTA_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    start_ = std::chrono::steady_clock::now();
    std::fflush(nullptr);  // or the child would flush the parent's buffered output a second time
    pid_ = ::fork();
    if (pid_ == 0) {
      const int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (out < 0 || err < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) _exit(126);
      ::execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && !done_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  pid_t pid() const { return pid_; }
  void kill() { ::kill(pid_, SIGKILL); }
  ChildResult wait() {
    ChildResult r;
    int status = 0;
    struct rusage ru {};
    while (::wait4(pid_, &status, 0, &ru) < 0 && errno == EINTR) {
    }
    done_ = true;
    r.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
               .count();
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    r.max_rss_kb = ru.ru_maxrss;
    r.out = slurp(out_);
    r.err = slurp(err_);
    fs::remove(out_);
    fs::remove(err_);
    return r;
  }

 private:
  pid_t pid_ = -1;
  bool done_ = false;
  fs::path out_, err_;
  std::chrono::steady_clock::time_point start_;
};

ChildResult run(const std::vector<std::string>& args, const fs::path& scratch) {
  return Child(args, scratch).wait();
}

std::string describe(const ChildResult& r) {
  return "exit " + std::to_string(r.exit_code) + " signal " + std::to_string(r.signal) +
         "\nstdout: " + r.out + "\nstderr: " + r.err;
}

// ---- reading a database with the SQLite C API ---------------------------------------------------

struct Row {
  std::string date, sku;
  int64_t quantity = 0, cents = 0, count = 0;
  bool operator==(const Row&) const = default;
};

class Db {
 public:
  explicit Db(const fs::path& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      sqlite3_close(db_);
      db_ = nullptr;
    }
    if (db_) sqlite3_busy_timeout(db_, 10000);
  }
  ~Db() { sqlite3_close(db_); }
  bool open() const { return db_ != nullptr; }
  // Every row of the query, columns joined by '|', rows by '\n'; "" when the query cannot run.
  std::string query(const std::string& sql, const std::string& param = "") const {
    if (!db_) return "<no database>";
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
      return "<" + std::string(sqlite3_errmsg(db_)) + ">";
    if (!param.empty()) sqlite3_bind_text(s, 1, param.c_str(), -1, SQLITE_TRANSIENT);
    std::string out;
    while (sqlite3_step(s) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        if (c) out += '|';
        const auto* t = sqlite3_column_text(s, c);
        out.append(t ? reinterpret_cast<const char*>(t) : "NULL",
                   t ? sqlite3_column_bytes(s, c) : 4);
      }
      out += '\n';
    }
    sqlite3_finalize(s);
    return out;
  }
  std::vector<Row> rows(const std::string& client) const {
    std::vector<Row> out;
    if (!db_) return out;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(
            db_,
            "SELECT transaction_date, sku_id, total_quantity, total_revenue_cents, order_count "
            "FROM processed_sales WHERE client_id=? ORDER BY transaction_date, sku_id",
            -1, &s, nullptr) != SQLITE_OK) {
      return out;  // no table yet: no rows
    }
    sqlite3_bind_text(s, 1, client.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(s) == SQLITE_ROW) {
      out.push_back(Row{reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                        reinterpret_cast<const char*>(sqlite3_column_text(s, 1)),
                        sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3),
                        sqlite3_column_int64(s, 4)});
    }
    sqlite3_finalize(s);
    return out;
  }
  std::string integrity() const { return query("PRAGMA integrity_check"); }
  // The stored state's day for a client, 0 when none.
  int state_day(const std::string& client) const {
    const std::string d = query("SELECT day FROM snapdelta_state WHERE client_id=?", client);
    return d.empty() || d[0] == '<' ? 0 : std::atoi(d.c_str());
  }

 private:
  sqlite3* db_ = nullptr;
};

void remove_db(const fs::path& db) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db.string() + suffix);
}

uint64_t env_u64(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}
bool long_mode() { return env_u64("SNAPDELTA_LONG", 0) != 0; }

// ---- the suite's data: generated drops and the reference rows of every (client, day) ----------

constexpr int kDays = 4;
const std::vector<std::string> kClients{"client_1", "client_2", "client_mix"};

class CrashTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/snapdelta-crash-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    scratch_ = tmpl;
    data_ = scratch_ / "data";
    const ChildResult g = run({"generate", "--data-dir", data_.string(), "--clients", "2", "--days",
                               std::to_string(kDays), "--base-rows", "20000", "--rows-per-day",
                               "5000", "--skus", "500", "--late-fraction", "0.2", "--threads", "1"},
                              scratch_);
    ASSERT_TRUE(g.ok()) << describe(g);
    // client_mix restates its history every day (its days alternate between the two clients'
    // drops), so its incremental runs take the "history changed: rebuild" path.
    fs::create_directories(data_ / "client_mix");
    for (int d = 1; d <= kDays; ++d) {
      const std::string name = "transactions_day_" + std::to_string(d) + ".zip";
      fs::copy_file(data_ / (d % 2 ? "client_1" : "client_2") / name, data_ / "client_mix" / name);
    }
    for (int d = 1; d <= kDays; ++d) {
      const fs::path ref = scratch_ / ("ref_" + std::to_string(d) + ".db");
      for (const auto& c : kClients) {
        const ChildResult r = run(args("full", c, d, ref), scratch_);
        ASSERT_TRUE(r.ok()) << describe(r);
      }
      Db db(ref);
      for (const auto& c : kClients) {
        reference_[std::make_pair(c, d)] = db.rows(c);
        ASSERT_FALSE(reference_[std::make_pair(c, d)].empty());
      }
    }
    // A typical run time for each mode (process start to exit) bounds the random kill delays.
    const fs::path cal = scratch_ / "calibrate.db";
    std::vector<double> full_ms, inc_ms;
    for (int i = 0; i < 3; ++i) {
      remove_db(cal);
      for (int d = 1; d <= kDays; ++d) {
        const ChildResult f = run(args("full", "client_1", d, cal), scratch_);
        const ChildResult n = run(args("incremental", "client_2", d, cal), scratch_);
        ASSERT_TRUE(f.ok() && n.ok()) << describe(f) << describe(n);
        full_ms.push_back(f.ms);
        inc_ms.push_back(n.ms);
      }
    }
    std::sort(full_ms.begin(), full_ms.end());
    std::sort(inc_ms.begin(), inc_ms.end());
    typical_ms_["full"] = full_ms[full_ms.size() / 2];
    typical_ms_["incremental"] = inc_ms[inc_ms.size() / 2];
  }

  static void TearDownTestSuite() {
    if (!scratch_.empty() && !std::getenv("SNAPDELTA_KEEP_SCRATCH")) fs::remove_all(scratch_);
  }

  static std::vector<std::string> args(const std::string& mode, const std::string& client, int day,
                                       const fs::path& db) {
    return {"run",        "--mode",       mode,   "--client", client, "--day", std::to_string(day),
            "--data-dir", data_.string(), "--db", db.string()};
  }

  static const std::vector<Row>& ref(const std::string& client, int day) {
    static const std::vector<Row> none;
    return day == 0 ? none : reference_.at({client, day});
  }

  static inline fs::path scratch_, data_;
  static inline std::map<std::pair<std::string, int>, std::vector<Row>> reference_;
  static inline std::map<std::string, double> typical_ms_;
};

// The rows a client may hold after an interrupted run that started from `before` and aimed at
// `target`: exactly the reference of one of the two days. Returns a message on failure, "" if ok.
std::string check_old_or_new(const Db& db, const std::string& client, int before, int target,
                             const std::vector<Row>& old_rows, const std::vector<Row>& new_rows) {
  const std::vector<Row> rows = db.rows(client);
  const int day = db.state_day(client);
  if (rows == new_rows && day == target) return "";
  if (rows == old_rows && day == before) return "";
  return "client " + client + " holds " + std::to_string(rows.size()) + " rows with state day " +
         std::to_string(day) + ": neither the old state (day " + std::to_string(before) + ", " +
         std::to_string(old_rows.size()) + " rows) nor the new one (day " + std::to_string(target) +
         ", " + std::to_string(new_rows.size()) + " rows)";
}

TEST_F(CrashTest, KilledRunsLeaveOldOrNewStateAndRerunsMatchTheReference) {
  const uint64_t want_kills = env_u64("SNAPDELTA_CRASH_KILLS", long_mode() ? 200 : 20);
  const uint64_t seed = env_u64("SNAPDELTA_SEED", std::random_device{}());
  std::mt19937_64 rng(seed);
  SCOPED_TRACE("SNAPDELTA_SEED=" + std::to_string(seed));
  std::printf(
      "[ crash    ] seed %llu, %llu kills wanted, typical run: full %.1f ms, incremental %.1f ms\n",
      static_cast<unsigned long long>(seed), static_cast<unsigned long long>(want_kills),
      typical_ms_["full"], typical_ms_["incremental"]);

  const fs::path db = scratch_ / "crash.db";
  remove_db(db);
  std::map<std::string, int> day;  // each client's committed day in `db` (missing: none)
  auto day_of = [&](const std::string& c) { return day.count(c) ? day.at(c) : 0; };
  uint64_t kills = 0, finished_first = 0, reruns = 0, fresh = 0;
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };

  for (uint64_t iteration = 0; kills < want_kills && iteration < want_kills * 4; ++iteration) {
    if (pick(0, 9) == 0) {  // sometimes start from no database at all: kills during a first run
      remove_db(db);
      day.clear();
      ++fresh;
    }
    const std::string client =
        kClients[static_cast<size_t>(pick(0, static_cast<int>(kClients.size()) - 1))];
    const std::string mode = pick(0, 9) < 4 ? "full" : "incremental";
    const int before = day_of(client);
    const int target = mode == "full" ? pick(1, kDays) : pick(std::max(before, 1), kDays);
    const auto command = args(mode, client, target, db);
    SCOPED_TRACE("iteration " + std::to_string(iteration) + ": " + mode + " " + client + " day " +
                 std::to_string(target) + " from day " + std::to_string(before));

    // Kill the run (and sometimes its reruns too) after a random delay within a typical run.
    const int attempts = pick(0, 3) == 0 ? 2 : 1;
    for (int a = 0; a < attempts && kills < want_kills; ++a) {
      Child child(command, scratch_);
      const auto delay = std::chrono::microseconds(static_cast<int64_t>(
          std::uniform_real_distribution<double>(0, 1)(rng) * typical_ms_[mode] * 1000.0));
      std::this_thread::sleep_for(delay);
      child.kill();
      const ChildResult r = child.wait();
      if (r.signal == SIGKILL) {
        ++kills;
      } else {
        ++finished_first;
        ASSERT_TRUE(r.ok()) << describe(r);
      }
      Db check(db);
      if (!check.open()) {
        // Killed before SQLite created the file: only possible without a previous state.
        ASSERT_TRUE(day.empty()) << "the database vanished after a kill";
        continue;
      }
      ASSERT_EQ(check.integrity(), "ok\n")
          << "after a kill " << delay.count() << " us into the run";
      ASSERT_EQ(
          check_old_or_new(check, client, before, target, ref(client, before), ref(client, target)),
          "")
          << "after a kill " << delay.count() << " us into the run";
      for (const auto& [other, other_day] : day) {
        if (other != client) {
          ASSERT_TRUE(check.rows(other) == ref(other, other_day))
              << other << " changed by a run for " << client;
        }
      }
    }

    // The same command, to completion: the client must equal the reference of the target day.
    const ChildResult r = run(command, scratch_);
    ++reruns;
    ASSERT_TRUE(r.ok()) << describe(r);
    day[client] = target;
    Db check(db);
    ASSERT_EQ(check.integrity(), "ok\n");
    ASSERT_TRUE(check.rows(client) == ref(client, target)) << "rerun differs from the reference";
    ASSERT_EQ(check.state_day(client), target);
    const ChildResult v =
        run({"verify", "--client", client, "--data-dir", data_.string(), "--db", db.string()},
            scratch_);
    ASSERT_TRUE(v.ok()) << describe(v);
  }
  std::printf(
      "[ crash    ] %llu kills survived (%llu runs finished before their kill), %llu reruns, %llu "
      "fresh "
      "databases\n",
      static_cast<unsigned long long>(kills), static_cast<unsigned long long>(finished_first),
      static_cast<unsigned long long>(reruns), static_cast<unsigned long long>(fresh));
  EXPECT_GE(kills, want_kills) << "too few runs were still running when killed";
}

// A killed run need not be rerun with the same command: after a killed full or incremental run of
// any day, an incremental run of that day converges to the reference too.
TEST_F(CrashTest, AnIncrementalRunAfterAnyKilledRunConverges) {
  const fs::path db = scratch_ / "inorder.db";
  remove_db(db);
  std::mt19937_64 rng(env_u64("SNAPDELTA_SEED", 7));
  int kills = 0;
  for (int d = 1; d <= kDays; ++d) {
    for (const std::string mode : {"incremental", "full", "incremental"}) {
      Child child(args(mode, "client_1", d, db), scratch_);
      std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(
          std::uniform_real_distribution<double>(0.3, 1.0)(rng) * typical_ms_[mode] * 1000.0)));
      child.kill();
      kills += child.wait().signal == SIGKILL;
      const ChildResult r = run(args("incremental", "client_1", d, db), scratch_);
      ASSERT_TRUE(r.ok()) << describe(r);
      Db check(db);
      ASSERT_EQ(check.integrity(), "ok\n");
      ASSERT_TRUE(check.rows("client_1") == ref("client_1", d)) << mode << " killed, day " << d;
    }
  }
  std::printf("[ crash    ] in-order: %d kills survived\n", kills);
}

}  // namespace
