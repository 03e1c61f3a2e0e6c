// `snapdelta sync` through the binary, as a user runs it:
// - random fleets (3-8 clients of random sizes, day counts and late-row shares) synced with
//   --through-day K for increasing K, some days skipped, equal per-client `run --mode full` of
//   the same drop after every sync; one client's newest drop is broken (it alone fails, in one
//   stderr line naming its file, its rows and state untouched) and one client's history is
//   restated (rebuilt, exact). On SQLite and on PostgreSQL.
// - two syncs at once on one SQLite database never double-count; a sync killed (SIGKILL) at a
//   random moment leaves an intact database and the next sync ends exact; each (client, day) is
//   in the run log once.
// - --on-history-change fail changes nothing and names the changed line.
// - --json keys, the summary, the text output, exit codes, an empty data dir.
// SNAPDELTA_SEED=S replays a random sequence (each test prints the seed it used).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "child_harness.h"
#include "fleet_support.h"
#include "store_kind.h"
#include "test_support.h"

using namespace snapdelta::test;
using json = nlohmann::ordered_json;

namespace {

namespace h = snapdelta::test::harness;

uint64_t test_seed() {
  const uint64_t seed = h::env_u64("SNAPDELTA_SEED", std::random_device{}());
  std::printf("[ sync     ] SNAPDELTA_SEED=%llu\n", static_cast<unsigned long long>(seed));
  return seed;
}

int pick(std::mt19937_64& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

// Random group-commit flags: one transaction per client, small groups, or the default's size; a
// group closing at once, soon or late.
std::vector<std::string> group_flags(std::mt19937_64& rng) {
  static const char* const kSizes[] = {"1", "2", "3", "32"};
  static const char* const kMs[] = {"0", "5", "50", "5000"};
  return {"--group", kSizes[pick(rng, 0, 3)], "--group-ms", kMs[pick(rng, 0, 3)]};
}

void append(std::vector<std::string>& to, const std::vector<std::string>& more) {
  to.insert(to.end(), more.begin(), more.end());
}

// Whether the store has its schema yet (a first write creates it).
bool has_schema(const StoreKind& store) {
  if (store.postgres()) {
    return store.query("SELECT to_regclass('snapdelta_state') IS NULL")[0][0] == "f";
  }
  return !store.query("SELECT 1 FROM sqlite_master WHERE name = 'snapdelta_state'").empty();
}

// Everything a store keeps of one client besides its rows: the state row and its checkpoints.
std::string state_text(const StoreKind& store, const std::string& client) {
  if (!has_schema(store)) return "<no schema>";
  std::string out;
  for (const char* table : {"snapdelta_state", "snapdelta_checkpoint"}) {
    for (const auto& row : store.query(std::string("SELECT * FROM ") + table +
                                       " WHERE client_id = '" + client + "' ORDER BY 1, 2")) {
      for (const auto& cell : row) out += cell + "|";
      out += "\n";
    }
  }
  return out;
}

// The day a client's state is at in `store`, 0 without one.
int state_day(const StoreKind& store, const std::string& client) {
  const auto rows =
      store.query("SELECT day FROM snapdelta_state WHERE client_id = '" + client + "'");
  return rows.empty() ? 0 : std::stoi(rows[0][0]);
}

// ---- 1. random fleets synced day by day, on both stores ---------------------------------------

class SyncFleet : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    rng_.seed(test_seed());
    FleetShape shape;
    shape.clients = pick(rng_, 3, 8);
    fleet_.emplace(dir_.path(), shape, rng_);
    ref_.emplace(fleet_->data_dir());
    const auto& cs = fleet_->clients();
    broken_ = cs[static_cast<size_t>(pick(rng_, 0, static_cast<int>(cs.size()) - 1))];
    do {
      restated_ = cs[static_cast<size_t>(pick(rng_, 0, static_cast<int>(cs.size()) - 1))];
    } while (restated_ == broken_);
    for (const auto& c : cs) day_[c] = 0;
  }

  // The --through-day of each sync (0: none, the newest), increasing, some days skipped.
  std::vector<int> schedule() {
    std::vector<int> ks;
    for (int k = pick(rng_, 1, 2); k < fleet_->max_days(); k += pick(rng_, 1, 2)) ks.push_back(k);
    if (pick(rng_, 0, 1) == 1) ks.push_back(ks.back());  // a sync with nothing new
    ks.push_back(0);
    return ks;
  }

  int target(const std::string& client, int through_day) const {
    const int newest = fleet_->days(client);
    return through_day > 0 ? std::min(through_day, newest) : newest;
  }

  // One sync, then every client is checked against the full-run reference.
  void sync_and_check(int through_day);
  void check_client(const SyncResult& s, const std::string& client, int through_day,
                    const std::string& state_before, bool& failed);

  TempDir dir_{"sync_fleet"};
  StoreKind store_{GetParam()};
  std::mt19937_64 rng_;
  std::optional<Fleet> fleet_;
  std::optional<ReferenceRows> ref_;
  std::string broken_, restated_;
  int broken_day_ = 0, restated_day_ = 0;
  Breakage how_ = Breakage::bad_value;
  bool full_ = false;               // the current sync's mode
  std::map<std::string, int> day_;  // each client's day in the store
  RunCounts logged_;                // the applied runs so far
};

void SyncFleet::check_client(const SyncResult& s, const std::string& c, int through_day,
                             const std::string& state_before, bool& failed) {
  SCOPED_TRACE(c);
  ASSERT_TRUE(s.clients.count(c)) << s.out;
  const json& j = s.clients.at(c);
  const int to = target(c, through_day);
  EXPECT_EQ(j["from_day"], day_[c]) << j;
  EXPECT_EQ(j["to_day"], to) << j;
  if (c == broken_ && to == broken_day_) {
    failed = true;
    EXPECT_EQ(j["status"], "failed") << j;
    EXPECT_NE(s.err.find(j["error"].get<std::string>() + "\n"), std::string::npos) << s.err;
    EXPECT_EQ(state_text(store_, c), state_before) << "a failed client's state changed";
    EXPECT_EQ(store_.rows(c), ref_->rows(c, day_[c])) << "a failed client's rows changed";
    return;
  }
  EXPECT_EQ(j["status"], to == day_[c] ? "noop" : "applied") << j;
  EXPECT_TRUE(j["error"].is_null()) << j;
  if (full_ && to != day_[c]) {
    EXPECT_EQ(j["path"], "full") << j;
  }
  if (c == restated_ && day_[c] < restated_day_ && to >= restated_day_) {
    EXPECT_EQ(j["path"], "rebuilt") << j;
    EXPECT_EQ(j["rebuilt"], "history changed at line 5") << j;
  }
  if (to != day_[c]) logged_[{c, to}]++;
  day_[c] = to;
  ASSERT_EQ(store_.rows(c), ref_->rows(c, to))
      << "differs from the recomputation of day " << to << j;
  EXPECT_EQ(state_day(store_, c), to);
}

void SyncFleet::sync_and_check(int through_day) {
  SCOPED_TRACE("sync --through-day " + std::to_string(through_day));
  std::vector<std::string> extra{"--jobs", std::to_string(pick(rng_, 1, 3)), "--threads",
                                 std::to_string(pick(rng_, 0, 2))};
  append(extra, group_flags(rng_));
  SCOPED_TRACE(extra[5] + " " + extra[7]);
  if (through_day > 0) extra.insert(extra.end(), {"--through-day", std::to_string(through_day)});
  // Some syncs are full; never the one that should find the restated history.
  full_ = day_[restated_] >= restated_day_ && pick(rng_, 0, 3) == 0;
  if (full_) extra.insert(extra.end(), {"--mode", "full"});
  SCOPED_TRACE(full_ ? "--mode full" : "--mode incremental");
  const std::string broken_state = state_text(store_, broken_);
  const SyncResult s = run_sync(fleet_->data_dir(), store_.db(), extra, dir_.path());
  ASSERT_EQ(s.signal, 0);
  ASSERT_EQ(s.parse_error, "") << s.out << s.err;
  EXPECT_EQ(s.clients.size(), fleet_->clients().size());
  bool failed = false;
  for (const auto& c : fleet_->clients()) {
    check_client(s, c, through_day, c == broken_ ? broken_state : "", failed);
  }
  EXPECT_EQ(s.exit_code, failed ? 2 : 0) << s.err;
  // The restated client's rebuild is one warning line naming the changed line; the rest is
  // failures.
  std::string err;
  const std::string warning =
      ": warning: history changed at line 5; client " + restated_ + " rebuilt from this drop";
  size_t warnings = 0;
  for (const std::string& line : split_lines(s.err)) {
    if (line.ends_with(warning)) {
      ++warnings;
    } else {
      err += line + "\n";
    }
  }
  EXPECT_LE(warnings, 1u) << s.err;
  if (failed) {
    EXPECT_EQ(h::count_lines(err), 1u) << err;
    EXPECT_EQ(err.rfind(fleet_->drop(broken_, broken_day_) + ":", 0), 0u) << err;
    if (how_ == Breakage::bad_value) {
      // Inflate faults read "corrupt zip: ..." (src/source), not yet "expected ..., found ...".
      EXPECT_NE(err.find(": expected an integer in quantity_sold, found \"7x\""), std::string::npos)
          << err;
    }
  } else {
    EXPECT_EQ(err, "");
  }
  EXPECT_EQ(s.summary["failed"], failed ? 1 : 0) << s.summary;
  EXPECT_EQ(run_counts(store_), logged_) << "the run log is not one row per applied (client, day)";
}

TEST_P(SyncFleet, DayByDayEqualsPerClientFullRuns) {
  const std::vector<int> ks = schedule();
  // The restated client changes line 5 from the second sync's day on; the broken one's newest
  // drop fails from the sync that reaches it until it is repaired.
  restated_day_ = target(restated_, ks[1]);
  fleet_->restate(restated_, restated_day_, 5);
  broken_day_ = fleet_->days(broken_);
  how_ = pick(rng_, 0, 1) ? Breakage::bad_value : Breakage::flipped_byte;
  fleet_->break_drop(broken_, broken_day_, how_);
  std::printf(
      "[ sync     ] %zu clients, %zu syncs, %s broken (%s, day %d), %s restated at day %d\n",
      fleet_->clients().size(), ks.size(), broken_.c_str(),
      how_ == Breakage::bad_value ? "bad value" : "flipped byte", broken_day_, restated_.c_str(),
      restated_day_);
  for (const int k : ks) {
    sync_and_check(k);
    if (HasFatalFailure()) return;
  }
  fleet_->repair();
  const int repaired_day = broken_day_;
  broken_day_ = 0;
  sync_and_check(0);
  EXPECT_EQ(day_[broken_], repaired_day);
}

INSTANTIATE_TEST_SUITE_P(Stores, SyncFleet, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

// ---- SQLite: one shared fleet, databases seeded at each day ------------------------------------

class SyncSqlite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = h::make_scratch("sync");
    ASSERT_FALSE(scratch_.empty());
    std::mt19937_64 rng(h::env_u64("SNAPDELTA_SEED", 20251202));
    FleetShape shape;
    shape.clients = 4;
    shape.min_days = 3;
    shape.max_days = 5;
    shape.max_base = 6000;
    shape.max_per_day = 1000;
    fleet_ = new Fleet(scratch_, shape, rng);
    ref_ = new ReferenceRows(fleet_->data_dir());
    // seed_<s>.db: the fleet synced with --through-day 1, 2, ..., s (seed 0: no database).
    for (int s = 1; s < fleet_->max_days(); ++s) {
      if (s > 1) copy_db(seed_db(s - 1), seed_db(s));
      const SyncResult r = sync(seed_db(s), {"--through-day", std::to_string(s)});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    // A sync of the whole fleet from nothing, the scale of the random kill delays.
    for (int i = 0; i < 2; ++i) {
      h::remove_db(scratch_ / "timing.db");
      const auto t0 = std::chrono::steady_clock::now();
      ASSERT_EQ(sync(scratch_ / "timing.db", {}).exit_code, 0);
      typical_ms_ = std::max(
          typical_ms_,
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
  }
  static void TearDownTestSuite() {
    delete ref_;
    delete fleet_;
    h::remove_scratch(scratch_);
  }

  static fs::path seed_db(int s) { return scratch_ / ("seed_" + std::to_string(s) + ".db"); }
  static void copy_db(const fs::path& from, const fs::path& to) {
    h::remove_db(to);
    for (const char* suffix : {"", "-wal"}) {
      if (fs::exists(from.string() + suffix))
        fs::copy_file(from.string() + suffix, to.string() + suffix);
    }
  }
  // A database holding the fleet synced through day `s` (0: no database file).
  static fs::path trial_db(int s) {
    const fs::path db = scratch_ / "trial.db";
    h::remove_db(db);
    if (s > 0) copy_db(seed_db(s), db);
    return db;
  }
  static SyncResult sync(const fs::path& db, const std::vector<std::string>& extra) {
    return run_sync(fleet_->data_dir(), db.string(), extra, scratch_);
  }
  static int target(const std::string& client, int through_day) {
    const int newest = fleet_->days(client);
    return through_day > 0 ? std::min(through_day, newest) : newest;
  }
  // The run log of syncs through day 1, ..., seed_day, then one through `through_day`.
  static RunCounts expected_runs(int seed_day, int through_day) {
    RunCounts runs;
    for (const auto& c : fleet_->clients()) {
      for (int k = 1; k <= seed_day; ++k) runs[{c, target(c, k)}] = 1;
      if (target(c, through_day) > target(c, seed_day) || seed_day == 0) {
        runs[{c, target(c, through_day)}] = 1;
      }
    }
    return runs;
  }
  // Every client's rows equal the recomputation of its drop of `through_day` (0: the newest).
  static void expect_exact(const fs::path& db, int through_day) {
    for (const auto& c : fleet_->clients()) {
      ASSERT_EQ(db_rows(db.string(), c), ref_->rows(c, target(c, through_day))) << c;
    }
  }

  static inline fs::path scratch_;
  static inline Fleet* fleet_ = nullptr;
  static inline ReferenceRows* ref_ = nullptr;
  static inline double typical_ms_ = 0;
};

// ---- 2. two syncs at once --------------------------------------------------------------------

TEST_F(SyncSqlite, TwoSyncsAtOnceNeverDoubleCount) {
  std::mt19937_64 rng(test_seed());
  const int trials =
      static_cast<int>(h::env_u64("SNAPDELTA_SYNC_TRIALS", h::long_mode() ? 50 : 10));
  for (int t = 0; t < trials; ++t) {
    const int s = pick(rng, 0, fleet_->max_days() - 1);
    SCOPED_TRACE("trial " + std::to_string(t) + " from day " + std::to_string(s));
    const fs::path db = trial_db(s);
    std::vector<std::string> extra{"--jobs", "2", "--threads", "1"};
    append(extra, group_flags(rng));
    SCOPED_TRACE(extra[5] + " " + extra[7]);
    const auto args = sync_args(fleet_->data_dir(), db.string(), extra);
    h::Child a(args, scratch_);
    std::this_thread::sleep_for(std::chrono::microseconds(
        static_cast<int64_t>(std::uniform_real_distribution<double>(0, 500)(rng) * typical_ms_)));
    h::Child b(args, scratch_);
    h::ChildResult ra = a.wait(), rb = b.wait();
    ASSERT_TRUE(ra.ok() && rb.ok()) << h::describe(ra) << h::describe(rb);
    const SyncResult sa = parse_sync_output(0, 0, ra.out, ra.err);
    const SyncResult sb = parse_sync_output(0, 0, rb.out, rb.err);
    ASSERT_EQ(sa.parse_error + sb.parse_error, "");
    for (const auto& c : fleet_->clients()) {
      const int applied =
          (sa.clients.at(c)["status"] == "applied") + (sb.clients.at(c)["status"] == "applied");
      EXPECT_EQ(applied, target(c, s) < target(c, 0) || s == 0 ? 1 : 0) << c;
    }
    expect_exact(db, 0);
    EXPECT_EQ(run_counts_sqlite(db.string()), expected_runs(s, 0));
    if (HasFailure()) return;
  }
}

// ---- 3. kill -9 at random moments --------------------------------------------------------------

// The client's rows, none when the database has no schema yet (killed before its first commit).
std::vector<RefRow> rows_if_any(const fs::path& db, const std::string& client) {
  if (Sqlite(db).query("SELECT 1 FROM sqlite_master WHERE name = 'processed_sales'").empty()) {
    return {};
  }
  return db_rows(db.string(), client);
}

// After a killed sync that started at day `s` aiming at `through_day`: an intact database where
// every client is at one of the two days, its rows those of its state's day, no run logged twice.
void expect_old_or_new(const fs::path& db, int s, int through_day,
                       const std::vector<std::string>& clients,
                       const std::function<int(const std::string&, int)>& target,
                       ReferenceRows& ref) {
  if (!fs::exists(db)) {
    ASSERT_EQ(s, 0) << "the database vanished";
    return;
  }
  h::Db check(db);
  ASSERT_EQ(check.integrity(), "ok\n");
  for (const auto& c : clients) {
    const int d = check.state_day(c);
    const int old_day = s == 0 ? 0 : target(c, s);
    ASSERT_TRUE(d == old_day || d == target(c, through_day)) << c << " at day " << d;
    ASSERT_EQ(rows_if_any(db, c), ref.rows(c, d)) << c << " rows differ from its state's day";
  }
  EXPECT_EQ(duplicates(run_counts_sqlite(db.string())), "");
}

TEST_F(SyncSqlite, KilledSyncsLeaveAnIntactDatabaseAndTheNextSyncIsExact) {
  std::mt19937_64 rng(test_seed());
  const int trials =
      static_cast<int>(h::env_u64("SNAPDELTA_SYNC_KILLS", h::long_mode() ? 100 : 12));
  int kills = 0;
  for (int t = 0; t < trials; ++t) {
    const int s = pick(rng, 0, fleet_->max_days() - 1);
    const int through = pick(rng, 0, 1) ? 0 : pick(rng, s + 1, fleet_->max_days());
    SCOPED_TRACE("trial " + std::to_string(t) + " from day " + std::to_string(s) +
                 " --through-day " + std::to_string(through));
    const fs::path db = trial_db(s);
    std::vector<std::string> extra{"--jobs", std::to_string(pick(rng, 1, 2)), "--threads", "1"};
    append(extra, group_flags(rng));
    SCOPED_TRACE(extra[5] + " " + extra[7]);
    if (through > 0) extra.insert(extra.end(), {"--through-day", std::to_string(through)});
    for (int round = pick(rng, 1, 2); round > 0; --round) {
      h::Child child(sync_args(fleet_->data_dir(), db.string(), extra), scratch_);
      std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(
          std::uniform_real_distribution<double>(0, 1000)(rng) * typical_ms_)));
      child.kill();
      const h::ChildResult r = child.wait();
      if (r.signal == SIGKILL) {
        ++kills;
      } else {
        ASSERT_TRUE(r.ok()) << h::describe(r);
      }
      expect_old_or_new(db, s, through, fleet_->clients(), target, *ref_);
      if (HasFailure()) return;
    }
    const SyncResult done = sync(db, extra);
    ASSERT_EQ(done.exit_code, 0) << done.err;
    expect_exact(db, through);
    EXPECT_EQ(run_counts_sqlite(db.string()), expected_runs(s, through));
    if (HasFailure()) return;
  }
  std::printf("[ sync     ] %d syncs killed mid-way in %d trials (typical sync %.1f ms)\n", kills,
              trials, typical_ms_);
  EXPECT_GT(kills, 0);
}

// ---- 4. group commit ---------------------------------------------------------------------------

// A client refused inside a group (a trigger stands for a constraint found at merge time) fails
// alone: its rows, state and run log unchanged, the failure recorded; the others of its group
// land, exact. Once the cause is gone, the next sync applies it and clears the failure.
TEST_F(SyncSqlite, AClientFailingInsideAGroupFailsAloneAndTheOthersLand) {
  const fs::path db = trial_db(1);
  Sqlite(db.string(), true)
      .exec(
          "CREATE TRIGGER refuse_client_2 BEFORE INSERT ON processed_sales "
          "WHEN NEW.client_id = 'client_2' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
  const auto rows_before = db_rows(db.string(), "client_2");
  const SyncResult s = sync(db, {"--group", "32", "--group-ms", "60000", "--jobs", "2"});
  EXPECT_EQ(s.exit_code, 2) << s.err;
  ASSERT_EQ(s.parse_error, "") << s.out;
  for (const auto& c : fleet_->clients()) {
    SCOPED_TRACE(c);
    const json& j = s.clients.at(c);
    EXPECT_EQ(j["status"], c == "client_2" ? "failed" : "applied") << j;
    if (c != "client_2") {
      EXPECT_EQ(db_rows(db.string(), c), ref_->rows(c, fleet_->days(c)));
    }
  }
  EXPECT_NE(s.clients.at("client_2")["error"].get<std::string>().find("refused by the test"),
            std::string::npos);
  EXPECT_EQ(s.summary["commits"], 1) << "the others did not land in one group";
  EXPECT_EQ(db_rows(db.string(), "client_2"), rows_before);
  h::Db check(db);
  EXPECT_EQ(check.state_day("client_2"), 1);
  Sqlite raw(db.string());
  EXPECT_EQ(raw.query("SELECT count(*) FROM snapdelta_runs WHERE client_id = 'client_2'"),
            (std::vector<std::vector<std::string>>{{"1"}}));
  EXPECT_EQ(raw.query("SELECT day FROM snapdelta_failures WHERE client_id = 'client_2' AND "
                      "cleared_at IS NULL"),
            (std::vector<std::vector<std::string>>{{std::to_string(fleet_->days("client_2"))}}));

  Sqlite(db.string(), true).exec("DROP TRIGGER refuse_client_2");
  const SyncResult again = sync(db, {});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.clients.at("client_2")["status"], "applied");
  expect_exact(db, 0);
  EXPECT_EQ(run_counts_sqlite(db.string()), expected_runs(1, 0));
  EXPECT_EQ(
      Sqlite(db.string()).query("SELECT count(*) FROM snapdelta_failures WHERE cleared_at IS NULL"),
      (std::vector<std::vector<std::string>>{{"0"}}));
}

// The clients of one sync land in ceil(applied / N) transactions when nothing else closes a group
// (--jobs 1, a long --group-ms); --group-ms 0 closes each group at its first client; --group 1 is
// one transaction per client. Each way exact.
TEST_F(SyncSqlite, AGroupClosesAfterNClientsOrTMilliseconds) {
  struct Case {
    const char* group;
    const char* ms;
    int commits;
  };
  for (const Case& k : {Case{"1", "60000", 4}, Case{"2", "60000", 2}, Case{"3", "60000", 2},
                        Case{"32", "60000", 1}, Case{"32", "0", 4}}) {
    SCOPED_TRACE(std::string("--group ") + k.group + " --group-ms " + k.ms);
    const fs::path db = trial_db(1);
    const SyncResult s = sync(db, {"--group", k.group, "--group-ms", k.ms, "--jobs", "1"});
    ASSERT_EQ(s.exit_code, 0) << s.err;
    EXPECT_EQ(s.summary["applied"], 4);
    EXPECT_EQ(s.summary["commits"], k.commits);
    expect_exact(db, 0);
    EXPECT_EQ(run_counts_sqlite(db.string()), expected_runs(1, 0));
  }
}

// What a store keeps of a sync, bar its clocks: rows, states, checkpoints and the run log.
std::string store_text(const fs::path& db) {
  std::string out;
  Sqlite raw(db.string());
  for (const char* sql :
       {"SELECT * FROM processed_sales ORDER BY 1, 2, 3",
        "SELECT client_id, day, file, rows, lines, bytes, crc32, unterminated, groups, mode, "
        "segments, header FROM snapdelta_state ORDER BY 1",
        "SELECT * FROM snapdelta_checkpoint ORDER BY 1, 2",
        "SELECT client_id, day, file, mode, path, rows_in_file, rows_processed, groups_written "
        "FROM snapdelta_runs ORDER BY 1, 2"}) {
    for (const auto& row : raw.query(sql)) {
      for (const auto& cell : row) out += cell + "|";
      out += "\n";
    }
  }
  return out;
}

// --group 1 and a grouped sync leave the same store and report the same clients.
TEST_F(SyncSqlite, GroupOneAndAGroupedSyncAgree) {
  for (int s = 0; s < fleet_->max_days(); ++s) {
    SCOPED_TRACE("from day " + std::to_string(s));
    std::string texts[2];
    std::vector<json> reports[2];
    const char* groups[2] = {"1", "32"};
    for (int g = 0; g < 2; ++g) {
      const fs::path db = trial_db(s);
      const SyncResult r = sync(db, {"--group", groups[g], "--jobs", "2"});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      texts[g] = store_text(db);
      for (const auto& c : fleet_->clients()) {
        json j = r.clients.at(c);
        for (const char* clock : {"total_ms", "phases_ms"}) j.erase(clock);
        reports[g].push_back(j);
      }
    }
    EXPECT_EQ(texts[0], texts[1]);
    EXPECT_EQ(reports[0], reports[1]);
  }
}

// ---- 6. --json keys, summary, text output, exit codes
// --------------------------------------------

TEST_F(SyncSqlite, JsonObjectsAndSummary) {
  const fs::path db = scratch_ / "json.db";
  h::remove_db(db);
  const SyncResult first = sync(db, {});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(first.parse_error, "");
  EXPECT_EQ(first.err, "");
  const std::vector<std::string> keys{
      "client",         "from_day",       "to_day",   "path",   "rows_in_file",
      "rows_processed", "groups_written", "total_ms", "status", "error"};
  uint64_t rows = 0, groups = 0;
  for (const auto& c : fleet_->clients()) {
    const json& j = first.clients.at(c);
    std::vector<std::string> got;
    for (const auto& [k, v] : j.items()) got.push_back(k);
    // The extra keys, as `run --json` has them: rebuilt and phases_ms (where the time went).
    ASSERT_GE(got.size(), 2u);
    EXPECT_EQ(got[got.size() - 2], "rebuilt");
    EXPECT_EQ(got.back(), "phases_ms");
    got.resize(got.size() - 2);
    EXPECT_EQ(got, keys) << j;
    EXPECT_TRUE(j["phases_ms"].contains("db_write")) << j;
    EXPECT_EQ(j["status"], "applied");
    EXPECT_EQ(j["path"], "first-run");
    EXPECT_EQ(j["from_day"], 0);
    EXPECT_EQ(j["to_day"], fleet_->days(c));
    EXPECT_EQ(j["rows_in_file"], j["rows_processed"]);
    EXPECT_EQ(j["groups_written"], ref_->rows(c, fleet_->days(c)).size());
    EXPECT_GT(j["total_ms"].get<double>(), 0);
    rows += j["rows_processed"].get<uint64_t>();
    groups += j["groups_written"].get<uint64_t>();
  }
  const json& s = first.summary;
  std::vector<std::string> skeys;
  for (const auto& [k, v] : s.items()) skeys.push_back(k);
  EXPECT_EQ(skeys,
            (std::vector<std::string>{"clients", "applied", "noop", "failed", "rows_processed",
                                      "groups_written", "total_ms", "commits"}));
  // The default group (32 clients, 50 ms) closes on its clock too, so a slow machine may take
  // more than one transaction for these 4 clients; each holds at least one of them.
  EXPECT_GE(s["commits"].get<int>(), 1);
  EXPECT_LE(s["commits"].get<int>(), static_cast<int>(fleet_->clients().size()));
  EXPECT_EQ(s["clients"], fleet_->clients().size());
  EXPECT_EQ(s["applied"], fleet_->clients().size());
  EXPECT_EQ(s["noop"], 0);
  EXPECT_EQ(s["failed"], 0);
  EXPECT_EQ(s["rows_processed"], rows);
  EXPECT_EQ(s["groups_written"], groups);

  const SyncResult again = sync(db, {});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  for (const auto& c : fleet_->clients()) {
    EXPECT_EQ(again.clients.at(c)["status"], "noop");
    EXPECT_EQ(again.clients.at(c)["path"], "noop");
    EXPECT_EQ(again.clients.at(c)["from_day"], fleet_->days(c));
  }
  EXPECT_EQ(again.summary["noop"], fleet_->clients().size());
  EXPECT_EQ(again.summary["applied"], 0);
  EXPECT_EQ(again.summary["rows_processed"], 0);
  expect_exact(db, 0);
}

TEST_F(SyncSqlite, TextOutputAndExitCodes) {
  const fs::path db = scratch_ / "text.db";
  h::remove_db(db);
  const auto text =
      h::run({"sync", "--data-dir", fleet_->data_dir(), "--db", db.string(), "--through-day", "2"},
             scratch_);
  ASSERT_TRUE(text.ok()) << h::describe(text);
  const auto lines = split_lines(text.out);
  ASSERT_EQ(lines.size(), fleet_->clients().size() + 2) << text.out;
  EXPECT_EQ(lines[0].rfind("client", 0), 0u) << text.out;
  EXPECT_EQ(lines[1].rfind("client_1 ", 0), 0u) << text.out;
  EXPECT_NE(lines[1].find(" applied"), std::string::npos) << text.out;
  EXPECT_EQ(lines.back().rfind("synced 4 clients: 4 applied, 0 no-op, 0 failed;", 0), 0u)
      << text.out;

  // A client with no drop fails alone; the others are synced.
  const SyncResult missing = sync(db, {"--client", "client_2", "--client", "client_99"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.clients.size(), 2u) << missing.out;
  EXPECT_EQ(missing.clients.at("client_2")["status"], "applied");
  EXPECT_EQ(missing.clients.at("client_99")["status"], "failed");
  EXPECT_EQ(h::count_lines(missing.err), 1u) << missing.err;
  EXPECT_NE(missing.err.find("client_99: expected client \"client_99\""), std::string::npos)
      << missing.err;
  EXPECT_EQ(missing.clients.at("client_99")["error"].get<std::string>() + "\n", missing.err);
  EXPECT_EQ(db_rows(db.string(), "client_2"), ref_->rows("client_2", fleet_->days("client_2")));
  EXPECT_EQ(h::Db(db).state_day("client_1"), 2) << "a client not named was synced";

  // A client named twice is synced and reported once.
  const SyncResult twice =
      sync(db, {"--client", "client_3", "--client", "client_3", "--jobs", "2"});
  EXPECT_EQ(twice.exit_code, 0) << twice.err;
  EXPECT_EQ(twice.parse_error, "") << twice.out;
  EXPECT_EQ(twice.summary["clients"], 1) << twice.out;
  EXPECT_EQ(twice.summary["applied"], 1) << twice.out;
}

TEST_F(SyncSqlite, UsageErrorsAndOlderDaysChangeNothing) {
  const fs::path db = scratch_ / "usage.db";
  h::remove_db(db);
  ASSERT_EQ(sync(db, {"--through-day", "2"}).exit_code, 0);
  // Usage errors: exit 2, one line, nothing written.
  const std::string before = h::dump(db);
  for (const auto& bad : std::vector<std::vector<std::string>>{{"--jobs", "-1"},
                                                               {"--mode", "fast"},
                                                               {"--through-day", "0"},
                                                               {"--on-history-change", "skip"}}) {
    std::vector<std::string> args{"sync", "--data-dir", fleet_->data_dir(), "--db", db.string()};
    args.insert(args.end(), bad.begin(), bad.end());
    const auto r = h::run(args, scratch_);
    EXPECT_EQ(r.exit_code, 2) << bad[0] << h::describe(r);
    EXPECT_EQ(h::count_lines(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find(bad[0] + ": expected"), std::string::npos) << r.err;
  }
  EXPECT_EQ(h::dump(db), before);

  // A day before a client's state is refused, as run refuses it, and nothing changes.
  const SyncResult older = sync(db, {"--through-day", "1", "--client", "client_1"});
  EXPECT_EQ(older.exit_code, 2);
  EXPECT_EQ(older.clients.at("client_1")["status"], "failed");
  EXPECT_NE(older.err.find("expected a day at or after the stored state's day 2"),
            std::string::npos)
      << older.err;
  EXPECT_EQ(h::dump(db), before);
}

// ---- an empty data dir, and --on-history-change fail (fleets of their own) ----------------------

TEST(SyncEmpty, ADataDirWithoutClientsSyncsNothing) {
  TempDir dir("sync_empty");
  fs::create_directories(dir.path() / "data" / "no_drops");
  write_file(dir / "data/no_drops/transactions.csv", "transaction_id\n");
  write_file(dir / "data/transactions_day_1.zip", "not a client folder");
  const SyncResult s = run_sync(dir / "data", dir / "s.db", {}, dir.path());
  EXPECT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(s.err, "");
  EXPECT_EQ(s.parse_error, "") << s.out;
  EXPECT_TRUE(s.clients.empty()) << s.out;
  EXPECT_EQ(s.summary["clients"], 0);
  EXPECT_EQ(s.summary["applied"], 0);
  EXPECT_FALSE(fs::exists(dir / "s.db")) << "a sync of nothing created a database";
}

// A data dir that does not exist (a mistyped --data-dir in a cron job) is an error naming it,
// not an empty fleet.
TEST(SyncEmpty, AMissingDataDirIsAnErrorNamingIt) {
  TempDir dir("sync_nodir");
  const SyncResult s = run_sync(dir / "nowhere", dir / "s.db", {}, dir.path());
  EXPECT_EQ(s.exit_code, 2) << s.out;
  EXPECT_EQ(s.err, (dir / "nowhere") +
                       ": expected a data directory, found none (pass --data-dir, or create "
                       "drops with snapdelta generate)\n");
  EXPECT_FALSE(fs::exists(dir / "s.db"));
}

// Everything a database holds, run log included.
std::string everything(const fs::path& db) {
  return h::dump(db) + "--\n" + h::Db(db).query("SELECT * FROM snapdelta_runs ORDER BY rowid");
}

TEST(SyncHistoryFail, ChangesNothingAndNamesTheChangedLine) {
  TempDir dir("sync_fail");
  std::mt19937_64 rng(test_seed());
  FleetShape shape;
  shape.min_days = shape.max_days = 4;
  shape.max_base = 5000;
  Fleet fleet(dir.path(), shape, rng);
  const std::string db = dir / "s.db";
  ASSERT_EQ(run_sync(fleet.data_dir(), db, {"--through-day", "2"}, dir.path()).exit_code, 0);
  fleet.restate("client_2", 3, 5);
  const std::string all = everything(db);

  const SyncResult one = run_sync(
      fleet.data_dir(), db, {"--client", "client_2", "--on-history-change", "fail"}, dir.path());
  EXPECT_EQ(one.exit_code, 2);
  EXPECT_EQ(h::count_lines(one.err), 1u) << one.err;
  EXPECT_EQ(one.err.rfind(fleet.drop("client_2", 4) + ":", 0), 0u) << one.err;
  EXPECT_NE(one.err.find("line 5"), std::string::npos) << one.err;
  EXPECT_EQ(one.clients.at("client_2")["status"], "failed");
  EXPECT_EQ(one.clients.at("client_2")["error"].get<std::string>() + "\n", one.err);
  // Only the failure is recorded (snapdelta_failures, its own transaction): the data, states and
  // run log stay as they were.
  EXPECT_EQ(everything(db), all);
  EXPECT_EQ(h::Db(db).query("SELECT client_id, day FROM snapdelta_failures"), "client_2|4\n");

  // With the whole fleet, the others go on and client_2 stays as it was.
  const std::string client_2 =
      h::Db(db).query("SELECT * FROM snapdelta_state WHERE client_id=?", "client_2");
  const auto rows_2 = db_rows(db, "client_2");
  const SyncResult fleet_fail =
      run_sync(fleet.data_dir(), db, {"--on-history-change", "fail"}, dir.path());
  EXPECT_EQ(fleet_fail.exit_code, 2);
  EXPECT_EQ(h::count_lines(fleet_fail.err), 1u) << fleet_fail.err;
  EXPECT_EQ(fleet_fail.clients.at("client_1")["status"], "applied");
  EXPECT_EQ(fleet_fail.clients.at("client_3")["status"], "applied");
  EXPECT_EQ(h::Db(db).query("SELECT * FROM snapdelta_state WHERE client_id=?", "client_2"),
            client_2);
  EXPECT_EQ(db_rows(db, "client_2"), rows_2);

  // The default policy rebuilds it, exact.
  const SyncResult rebuilt = run_sync(fleet.data_dir(), db, {}, dir.path());
  EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_EQ(rebuilt.clients.at("client_2")["path"], "rebuilt");
  ReferenceRows ref(fleet.data_dir());
  for (const auto& c : fleet.clients()) EXPECT_EQ(db_rows(db, c), ref.rows(c, 4)) << c;
  EXPECT_EQ(duplicates(run_counts_sqlite(db)), "");
}

}  // namespace
