// Concurrency: runs on the same database at the same time never double-count. Every run takes the
// write lock first (BEGIN IMMEDIATE) and reads the state inside its transaction, so of two runs
// of one client the second sees the first's state (a no-op, a refusal, or the next day's delta)
// or waits for the lock; a run that cannot get the lock within --busy-timeout-ms refuses in one
// line and changes nothing. Every trial checks the table against the independent recomputation
// of the drops (test_support's reference), and counts as a race only when the first run had not
// exited when the second started: each scenario requires most of its trials to be races.
//
// Trials per scenario: a few by default; SNAPDELTA_LONG=1 (50) or SNAPDELTA_CONCURRENCY_TRIALS=N.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "child_harness.h"
#include "common/error.h"
#include "reference_rows.h"
#include "store/open_store.h"
#include "store/sqlite_db.h"

namespace fs = std::filesystem;

namespace {

using namespace snapdelta::test::harness;

void copy_db(const fs::path& from, const fs::path& to) {
  remove_db(to);
  for (const char* suffix : {"", "-wal"}) {
    if (fs::exists(from.string() + suffix))
      fs::copy_file(from.string() + suffix, to.string() + suffix);
  }
}

constexpr int kDays = 4;
const std::vector<std::string> kClients{"client_1", "client_2"};

class ConcurrencyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = make_scratch("concurrency");
    ASSERT_FALSE(scratch_.empty());
    data_ = scratch_ / "data";
    const ChildResult g = run({"generate", "--data-dir", data_.string(), "--clients", "2", "--days",
                               std::to_string(kDays), "--base-rows", "20000", "--rows-per-day",
                               "5000", "--skus", "500", "--late-fraction", "0.2", "--threads", "1"},
                              scratch_);
    ASSERT_TRUE(g.ok()) << describe(g);
    // seed_<K>.db: both clients through day K by incremental runs (seed_0: no database).
    for (int d = 1; d <= kDays; ++d) {
      const fs::path seed = scratch_ / ("seed_" + std::to_string(d) + ".db");
      if (d > 1) copy_db(scratch_ / ("seed_" + std::to_string(d - 1) + ".db"), seed);
      for (const auto& c : kClients) {
        const ChildResult i = run(args("incremental", c, d, seed), scratch_);
        ASSERT_TRUE(i.ok()) << describe(i);
        const ChildResult t = run(args("incremental", c, d, scratch_ / "timing.db"), scratch_);
        typical_ms_ = std::max(typical_ms_, t.ms);
        reference_[std::make_pair(c, d)] = snapdelta::test::reference_rows_of_zip(
            (data_ / c / ("transactions_day_" + std::to_string(d) + ".zip")).string());
        ASSERT_FALSE(reference_[std::make_pair(c, d)].empty());
      }
    }
  }

  static void TearDownTestSuite() { remove_scratch(scratch_); }

  static std::vector<std::string> args(const std::string& mode, const std::string& client, int day,
                                       const fs::path& db, int busy_timeout_ms = -1) {
    std::vector<std::string> a{
        "run",        "--mode",       mode,   "--client",  client,  "--day", std::to_string(day),
        "--data-dir", data_.string(), "--db", db.string(), "--json"};
    if (busy_timeout_ms >= 0) {
      a.push_back("--busy-timeout-ms");
      a.push_back(std::to_string(busy_timeout_ms));
    }
    return a;
  }

  static const std::vector<Row>& ref(const std::string& client, int day) {
    return reference_.at({client, day});
  }

  // A database holding both clients through `day` (0: no database file at all).
  static fs::path trial_db(int day) {
    const fs::path db = scratch_ / "trial.db";
    remove_db(db);
    if (day > 0) copy_db(scratch_ / ("seed_" + std::to_string(day) + ".db"), db);
    return db;
  }

  static int trials() {
    return static_cast<int>(env_u64("SNAPDELTA_CONCURRENCY_TRIALS", long_mode() ? 50 : 4));
  }

  // Starts `a`, then `b` after a random delay within a quarter of a typical run (a run's length
  // varies with the load; a quarter still lands in most runs), and waits for both.
  // Counts the trial as a race (races_) when `a` had not exited by the time `b` was started.
  static std::pair<ChildResult, ChildResult> race(const std::vector<std::string>& a,
                                                  const std::vector<std::string>& b,
                                                  std::mt19937_64& rng) {
    Child first(a, scratch_);
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(
        std::uniform_real_distribution<double>(0, 0.25)(rng) * typical_ms_ * 1000.0)));
    Child second(b, scratch_);
    races_ += first.running();
    ChildResult ra = first.wait();
    ChildResult rb = second.wait();
    return {ra, rb};
  }

  void SetUp() override { races_ = 0; }
  // At the end of a scenario: most trials were races, or it tested runs one after the other.
  static void expect_mostly_races() {
    std::printf("[ trials   ] %d of %d trials overlapped\n", races_, trials());
    EXPECT_GE(races_ * 4, trials() * 3) << "too few trials had both runs alive at once";
  }

  // The database is intact, every client equals its reference of the given day, and verify agrees.
  static void expect_clients(const fs::path& db, const std::map<std::string, int>& days) {
    Db check(db);
    ASSERT_TRUE(check.open()) << db;
    EXPECT_EQ(check.integrity(), "ok\n");
    for (const auto& [client, day] : days) {
      EXPECT_TRUE(check.rows(client) == ref(client, day))
          << client << " differs from its day " << day << " reference";
      EXPECT_EQ(check.state_day(client), day) << client;
      const ChildResult v =
          run({"verify", "--client", client, "--data-dir", data_.string(), "--db", db.string()},
              scratch_);
      EXPECT_TRUE(v.ok()) << describe(v);
    }
  }

  static inline fs::path scratch_, data_;
  static inline std::map<std::pair<std::string, int>, std::vector<Row>> reference_;
  static inline double typical_ms_ = 0;
  static inline int races_ = 0;
};

bool is_noop(const ChildResult& r) { return r.out.find("\"path\":\"noop\"") != std::string::npos; }

std::mt19937_64 seeded_rng() {
  const uint64_t seed = env_u64("SNAPDELTA_SEED", std::random_device{}());
  std::printf("[ trials   ] SNAPDELTA_SEED=%llu\n", static_cast<unsigned long long>(seed));
  return std::mt19937_64(seed);
}

TEST_F(ConcurrencyTest, TwoIncrementalRunsOfTheSameDayApplyItOnce) {
  auto rng = seeded_rng();
  for (int t = 0; t < trials(); ++t) {
    const int day = 1 + t % kDays;
    const int from = t % 3 == 0 ? 0 : day - 1;  // also from no database file at all
    SCOPED_TRACE("trial " + std::to_string(t) + ": day " + std::to_string(day) + " from " +
                 std::to_string(from));
    const fs::path db = trial_db(from);
    const auto [a, b] = race(args("incremental", "client_1", day, db),
                             args("incremental", "client_1", day, db), rng);
    ASSERT_TRUE(a.ok()) << describe(a);
    ASSERT_TRUE(b.ok()) << describe(b);
    // Whichever got the lock second found the first one's state: exactly one applied the day.
    EXPECT_EQ(is_noop(a) + is_noop(b), 1) << a.out << b.out;
    std::map<std::string, int> want{{"client_1", day}};
    if (from > 0) want["client_2"] = from;
    expect_clients(db, want);
  }
  expect_mostly_races();
}

TEST_F(ConcurrencyTest, IncrementalRunsOfConsecutiveDaysEndAtTheLaterDay) {
  auto rng = seeded_rng();
  for (int t = 0; t < trials(); ++t) {
    const int day = 1 + t % (kDays - 1);
    SCOPED_TRACE("trial " + std::to_string(t) + ": days " + std::to_string(day) + " and " +
                 std::to_string(day + 1));
    const fs::path db = trial_db(day - 1);
    auto a_args = args("incremental", "client_2", day, db),
         b_args = args("incremental", "client_2", day + 1, db);
    if (t % 2) std::swap(a_args, b_args);
    const auto [a, b] = race(a_args, b_args, rng);
    // Day K after day K+1 is refused in one line, naming the stored day; anything else succeeds.
    for (const ChildResult* r : {&a, &b}) {
      if (!r->ok()) {
        EXPECT_EQ(r->exit_code, 2) << describe(*r);
        EXPECT_NE(r->err.find("expected a day at or after the stored state's day " +
                              std::to_string(day + 1)),
                  std::string::npos)
            << describe(*r);
        EXPECT_EQ(count_lines(r->err), 1u) << r->err;
      }
    }
    EXPECT_TRUE((a_args[6] == std::to_string(day + 1) ? a : b).ok())
        << "the later day's run must succeed";
    std::map<std::string, int> want{{"client_2", day + 1}};
    if (day > 1) want["client_1"] = day - 1;
    expect_clients(db, want);
  }
  expect_mostly_races();
}

TEST_F(ConcurrencyTest, FullAndIncrementalRunsOfTheSameDayAgree) {
  auto rng = seeded_rng();
  for (int t = 0; t < trials(); ++t) {
    const int day = 2 + t % (kDays - 1);
    SCOPED_TRACE("trial " + std::to_string(t) + ": day " + std::to_string(day));
    const fs::path db = trial_db(t % 3 == 0 ? 0 : day - 1);
    auto a_args = args("full", "client_1", day, db),
         b_args = args("incremental", "client_1", day, db);
    if (t % 2) std::swap(a_args, b_args);
    const auto [a, b] = race(a_args, b_args, rng);
    ASSERT_TRUE(a.ok()) << describe(a);
    ASSERT_TRUE(b.ok()) << describe(b);
    std::map<std::string, int> want{{"client_1", day}};
    if (t % 3 != 0) want["client_2"] = day - 1;
    expect_clients(db, want);
  }
  expect_mostly_races();
}

TEST_F(ConcurrencyTest, DifferentClientsOnOneDatabaseAreBothCorrect) {
  auto rng = seeded_rng();
  for (int t = 0; t < trials(); ++t) {
    const int day = 1 + t % kDays;
    const std::string mode_a = t % 2 ? "full" : "incremental",
                      mode_b = t % 4 < 2 ? "incremental" : "full";
    SCOPED_TRACE("trial " + std::to_string(t) + ": " + mode_a + " client_1 and " + mode_b +
                 " client_2, day " + std::to_string(day));
    const fs::path db = trial_db(t % 3 == 0 ? 0 : day - 1);
    const auto [a, b] =
        race(args(mode_a, "client_1", day, db), args(mode_b, "client_2", day, db), rng);
    ASSERT_TRUE(a.ok()) << describe(a);
    ASSERT_TRUE(b.ok()) << describe(b);
    expect_clients(db, {{"client_1", day}, {"client_2", day}});
  }
  expect_mostly_races();
}

// Holds the write lock of `db` the way another writer would, until destroyed.
class HeldLock {
 public:
  explicit HeldLock(const fs::path& db) {
    EXPECT_EQ(sqlite3_open_v2(db.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
  }
  ~HeldLock() { release(); }
  void release() {
    if (db_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST_F(ConcurrencyTest, ARunThatCannotGetTheLockRefusesInOneLineAndChangesNothing) {
  for (const std::string mode : {"incremental", "full"}) {
    SCOPED_TRACE(mode);
    const fs::path db = trial_db(2);
    const std::string before = dump(db);
    HeldLock lock(db);
    const ChildResult r = run(args(mode, "client_1", 3, db, 50), scratch_);
    lock.release();
    EXPECT_EQ(r.exit_code, 2) << describe(r);
    EXPECT_EQ(count_lines(r.err), 1u) << r.err;
    EXPECT_EQ(r.err.rfind(db.string() + ": ", 0), 0u)
        << "the refusal must start with the database: " << r.err;
    EXPECT_NE(r.err.find("write lock"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("locked"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(dump(db), before) << "a refused run changed the database";
    EXPECT_EQ(Db(db).integrity(), "ok\n");
  }
}

TEST_F(ConcurrencyTest, ARunWaitsForAHeldLockWithinItsBusyTimeout) {
  const fs::path db = trial_db(2);
  HeldLock lock(db);
  Child child(args("incremental", "client_1", 3, db, 30000), scratch_);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  int status = 0;
  EXPECT_EQ(::waitpid(child.pid(), &status, WNOHANG), 0) << "the run did not wait for the lock";
  lock.release();
  const ChildResult r = child.wait();
  ASSERT_TRUE(r.ok()) << describe(r);
  EXPECT_GE(r.ms, 300);
  expect_clients(db, {{"client_1", 3}, {"client_2", 2}});
}

// True once another connection holds the write lock of `db` (a probe BEGIN IMMEDIATE is busy).
bool someone_holds_the_write_lock(const fs::path& db) {
  if (!fs::exists(db)) return false;
  sqlite3* probe = nullptr;
  bool busy = false;
  if (sqlite3_open_v2(db.c_str(), &probe, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    const int rc = sqlite3_exec(probe, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) sqlite3_exec(probe, "ROLLBACK", nullptr, nullptr, nullptr);
    busy = (rc & 0xff) == SQLITE_BUSY;
  }
  sqlite3_close(probe);
  return busy;
}

// A run that created the database and then fails must not delete a database another run is
// writing to. Here store A (opened by open_store, as a run on a missing database opens it) creates
// the file; run B finds it there, takes the write lock and rebuilds its client; A's run gives up on
// the lock (its --busy-timeout-ms is short) while B is inside its transaction. A's cleanup ("a
// failed first run leaves no file behind") sees no schema yet and unlinks the file, -wal and -shm
// under B; B commits to the unlinked inode, reports success, and its rows are gone.
TEST_F(ConcurrencyTest, AFailedFirstRunDoesNotDeleteADatabaseAnotherRunIsWriting) {
  const fs::path big = scratch_ / "big";
  if (!fs::exists(big)) {  // a drop large enough that B holds the lock for a while
    const ChildResult g = run({"generate", "--data-dir", big.string(), "--clients", "1", "--days",
                               "1", "--base-rows", "400000", "--skus", "500", "--threads", "1"},
                              scratch_);
    ASSERT_TRUE(g.ok()) << describe(g);
  }
  const fs::path db = trial_db(0);
  auto a = snapdelta::open_store(
      snapdelta::StoreOptions{db.string(), snapdelta::StoreOpen::create_if_missing, 1});
  ASSERT_TRUE(fs::exists(db));
  std::vector<std::string> b_args = args("incremental", "client_1", 1, db);
  b_args[8] = big.string();  // --data-dir
  Child b(b_args, scratch_);
  // Run A cannot get the lock within its busy timeout: its run fails, the store is closed. A lock
  // seen held may be one of B's brief ones before its transaction (its open, a probe of its own):
  // while A's write still gets through, it is given up unwritten (rolled back, B waits its turn)
  // and tried again once the lock is seen held again.
  bool a_failed = false;
  for (int i = 0; i < 5000 && !a_failed; ++i) {
    int status = 0;
    if (::waitpid(b.pid(), &status, WNOHANG) != 0) break;
    if (someone_holds_the_write_lock(db)) {
      try {
        a->begin_write("client_1");
      } catch (const snapdelta::Error&) {
        a_failed = true;
      }
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }
  ASSERT_TRUE(a_failed) << "run B finished before run A could be seen failing on B's lock";
  a.reset();
  const ChildResult rb = b.wait();
  ASSERT_TRUE(rb.ok()) << describe(rb);
  ASSERT_TRUE(fs::exists(db)) << "run B reported success (" << rb.out
                              << "), but failed run A deleted the database file B committed to";
  Db check(db);
  EXPECT_EQ(check.integrity(), "ok\n");
  EXPECT_EQ(check.state_day("client_1"), 1);
}

}  // namespace
