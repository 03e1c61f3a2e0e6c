// `snapdelta sync` workers on PostgreSQL, through the binary: four `sync --db postgresql://...`
// processes share 100 small clients, day after day, while some of them are SIGKILLed at random
// moments and started again. Afterwards every client equals a plain recomputation of its drop
// (test_support's reference, independent of the binary), each (client, day) is in snapdelta_runs
// exactly once, every worker that ran to its end reports every client applied or current (a client
// another worker held was taken again before it ended), and no client was applied by two workers.
// A fresh database of the test server (SNAPDELTA_TEST_PG); without one the test fails.
// SNAPDELTA_SEED=S replays a random sequence.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "child_harness.h"
#include "fleet_support.h"
#include "generate/generator.h"
#include "store_kind.h"
#include "test_support.h"

using namespace snapdelta;
using namespace snapdelta::test;

namespace {

namespace h = snapdelta::test::harness;

constexpr int kClients = 100;
constexpr int kDays = 3;
constexpr int kWorkers = 4;

class SyncPgWorkers : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = h::env_u64("SNAPDELTA_SEED", std::random_device{}());
    std::printf("[ sync pg  ] SNAPDELTA_SEED=%llu\n", static_cast<unsigned long long>(seed_));
    rng_.seed(seed_);
  }

  void generate_fleet(int clients, int days) {
    generate::Options o;
    o.data_dir = dir_ / "data";
    o.clients = clients;
    o.days = days;
    o.base_rows = 300;
    o.rows_per_day = 60;
    o.skus = 40;
    o.late_fraction = 0.2;
    o.seed = rng_();
    o.threads = 1;
    generate::run(o);
    data_ = o.data_dir;
    for (int c = 1; c <= clients; ++c) clients_.push_back("client_" + std::to_string(c));
  }

  int state_day(const std::string& client) const {
    const auto rows =
        store_.query("SELECT day FROM snapdelta_state WHERE client_id = '" + client + "'");
    return rows.empty() ? 0 : std::stoi(rows[0][0]);
  }

  // Each worker groups its commits its own way: one transaction per client, small groups, or
  // the default.
  std::vector<std::string> worker_args(int through_day) {
    static const char* const kGroups[] = {"1", "4", "32"};
    const char* group = kGroups[std::uniform_int_distribution<int>(0, 2)(rng_)];
    return sync_args(data_, store_.db(),
                     {"--through-day", std::to_string(through_day), "--jobs", "2", "--threads", "1",
                      "--busy-timeout-ms", "20000", "--group", group});
  }

  // Runs the workers through `day`, killing and restarting some; returns the outputs of the
  // workers that ran to their end.
  std::vector<SyncResult> round(int day, double kill_window_ms, int& kills);
  void expect_round(int day, const std::vector<SyncResult>& finished);

  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  TempDir dir_{"sync_pg"};
  StoreKind store_{"postgres"};
  std::string data_;
  std::vector<std::string> clients_;
};

std::vector<SyncResult> SyncPgWorkers::round(int day, double kill_window_ms, int& kills) {
  std::vector<std::unique_ptr<h::Child>> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.push_back(std::make_unique<h::Child>(worker_args(day), dir_.path()));
  }
  std::vector<SyncResult> finished;
  const int kill_count = std::uniform_int_distribution<int>(1, 3)(rng_);
  for (int k = 0; k < kill_count; ++k) {
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(
        std::uniform_real_distribution<double>(0, kill_window_ms * 1000)(rng_))));
    const size_t w = std::uniform_int_distribution<size_t>(0, kWorkers - 1)(rng_);
    workers[w]->kill();
    h::ChildResult r = workers[w]->wait();
    if (r.signal == SIGKILL) {
      ++kills;
    } else {
      finished.push_back(parse_sync_output(r.exit_code, r.signal, r.out, r.err));
    }
    workers[w] = std::make_unique<h::Child>(worker_args(day), dir_.path());
  }
  for (auto& worker : workers) {
    h::ChildResult r = worker->wait();
    finished.push_back(parse_sync_output(r.exit_code, r.signal, r.out, r.err));
  }
  return finished;
}

void SyncPgWorkers::expect_round(int day, const std::vector<SyncResult>& finished) {
  std::map<std::string, int> applied;
  for (const SyncResult& s : finished) {
    ASSERT_EQ(s.exit_code, 0) << s.err << s.out;
    ASSERT_EQ(s.parse_error, "") << s.out;
    EXPECT_EQ(s.err, "");
    ASSERT_EQ(s.clients.size(), clients_.size()) << "a worker ended before every client";
    for (const auto& [client, j] : s.clients) {
      EXPECT_TRUE(j["status"] == "applied" || j["status"] == "noop") << j;
      EXPECT_EQ(j["to_day"], day) << j;
      applied[client] += j["status"] == "applied";
    }
  }
  for (const auto& [client, n] : applied) EXPECT_LE(n, 1) << client << " applied by two workers";
  RunCounts want;
  for (const auto& c : clients_) {
    for (int d = 1; d <= day; ++d) want[{c, d}] = 1;
    ASSERT_EQ(store_.rows(c), reference_of_zip(day_path(data_, c, day))) << c << " day " << day;
  }
  EXPECT_EQ(run_counts(store_), want) << "a (client, day) not applied exactly once";
  EXPECT_EQ(store_.query("SELECT count(*) FROM snapdelta_state WHERE day = " + std::to_string(day)),
            (std::vector<std::vector<std::string>>{{std::to_string(kClients)}}));
}

TEST_F(SyncPgWorkers, KilledAndRestartedWorkersApplyEachClientDayOnce) {
  generate_fleet(kClients, kDays);
  int kills = 0;
  double window_ms = 400;  // the first round's guess; then the previous round's length
  for (int day = 1; day <= kDays; ++day) {
    SCOPED_TRACE("through day " + std::to_string(day));
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<SyncResult> finished = round(day, window_ms, kills);
    window_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("[ sync pg  ] day %d: %zu workers finished, %.0f ms\n", day, finished.size(),
                window_ms);
    expect_round(day, finished);
    if (HasFailure()) return;
  }
  std::printf("[ sync pg  ] %d workers killed mid-way\n", kills);
  EXPECT_GT(kills, 0);
}

// A sync of `args` that is SIGKILLed should it still run after `limit_s` seconds.
h::ChildResult run_with_deadline(const std::vector<std::string>& args, const fs::path& scratch,
                                 double limit_s, const std::function<void()>& meanwhile = {}) {
  h::Child child(args, scratch);
  std::atomic<bool> done{false};
  std::thread watchdog([&] {
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(limit_s);
    while (!done && std::chrono::steady_clock::now() < end) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!done) child.kill();
  });
  if (meanwhile) meanwhile();
  h::ChildResult r = child.wait();
  done = true;
  watchdog.join();
  return r;
}

// Another writer holds client_1 (its state row locked in an open transaction): the sync takes
// the other clients, and client_1 once the holder lets go, before it ends.
TEST_F(SyncPgWorkers, AHeldClientIsTakenAgainOnceFreed) {
  generate_fleet(3, 2);
  ASSERT_EQ(run_sync(data_, store_.db(), {"--through-day", "1"}, dir_.path()).exit_code, 0);
  PgRaw holder(store_.db());
  holder.exec("BEGIN");
  holder.exec("SELECT 1 FROM snapdelta_state WHERE client_id = 'client_1' FOR UPDATE");
  const auto args = sync_args(data_, store_.db(), {"--jobs", "1", "--threads", "1"});
  const h::ChildResult r = run_with_deadline(args, dir_.path(), 60, [&] {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while ((state_day("client_2") != 2 || state_day("client_3") != 2) &&
           std::chrono::steady_clock::now() < end) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(state_day("client_2"), 2) << "a held client blocked the others";
    EXPECT_EQ(state_day("client_3"), 2) << "a held client blocked the others";
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(state_day("client_1"), 1) << "a held client was written";
    holder.exec("COMMIT");
  });
  ASSERT_TRUE(r.ok()) << h::describe(r);
  const SyncResult s = parse_sync_output(r.exit_code, r.signal, r.out, r.err);
  ASSERT_EQ(s.parse_error, "") << s.out;
  for (const auto& c : clients_) {
    EXPECT_EQ(s.clients.at(c)["status"], "applied") << c;
    EXPECT_EQ(store_.rows(c), reference_of_zip(day_path(data_, c, 2))) << c;
  }
  EXPECT_EQ(duplicates(run_counts(store_)), "");
  EXPECT_EQ(run_counts(store_).size(), 6u);
}

// A client held for longer than --busy-timeout-ms fails alone, in one line, untouched; the sync
// ends (it does not wait for the holder forever).
TEST_F(SyncPgWorkers, AClientHeldPastTheBusyTimeoutFailsAlone) {
  generate_fleet(3, 2);
  ASSERT_EQ(run_sync(data_, store_.db(), {"--through-day", "1"}, dir_.path()).exit_code, 0);
  const auto before = store_.rows("client_1");
  PgRaw holder(store_.db());
  holder.exec("BEGIN");
  holder.exec("SELECT 1 FROM snapdelta_state WHERE client_id = 'client_1' FOR UPDATE");
  const auto args =
      sync_args(data_, store_.db(), {"--jobs", "2", "--threads", "1", "--busy-timeout-ms", "1000"});
  const auto t0 = std::chrono::steady_clock::now();
  const h::ChildResult r = run_with_deadline(args, dir_.path(), 30);
  const double s_taken =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  holder.exec("COMMIT");
  ASSERT_EQ(r.signal, 0) << "the sync still waited for the held client after 30 s";
  EXPECT_LT(s_taken, 15);
  EXPECT_EQ(r.exit_code, 2) << h::describe(r);
  const SyncResult s = parse_sync_output(r.exit_code, r.signal, r.out, r.err);
  ASSERT_EQ(s.parse_error, "") << s.out;
  EXPECT_EQ(s.clients.at("client_1")["status"], "failed");
  EXPECT_EQ(s.clients.at("client_2")["status"], "applied");
  EXPECT_EQ(s.clients.at("client_3")["status"], "applied");
  EXPECT_EQ(h::count_lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("client_1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1000 ms"), std::string::npos) << r.err;
  EXPECT_EQ(store_.rows("client_1"), before);
  EXPECT_EQ(state_day("client_1"), 1);
}

// A group whose commit fails (a deferred constraint trigger refuses client_3's run-log row at
// COMMIT) fails each of its clients, none of them changed and none reported applied; with --group 1
// client_3 fails alone; once the cause is gone every client lands, each (client, day) logged once.
TEST_F(SyncPgWorkers, AGroupWhoseCommitFailsFailsEachOfItsClientsAndChangesNothing) {
  generate_fleet(5, 2);
  ASSERT_EQ(run_sync(data_, store_.db(), {"--through-day", "1"}, dir_.path()).exit_code, 0);
  store_.exec(
      "CREATE FUNCTION refuse_client_3() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "IF NEW.client_id = 'client_3' THEN RAISE EXCEPTION 'refused by the test'; END IF; "
      "RETURN NEW; END $$; "
      "CREATE CONSTRAINT TRIGGER refuse_client_3 AFTER INSERT ON snapdelta_runs "
      "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_client_3()");
  std::map<std::string, std::vector<RefRow>> before;
  for (const auto& c : clients_) before[c] = store_.rows(c);

  const SyncResult grouped = run_sync(
      data_, store_.db(), {"--group", "32", "--group-ms", "60000", "--jobs", "2"}, dir_.path());
  EXPECT_EQ(grouped.exit_code, 2) << grouped.err;
  ASSERT_EQ(grouped.parse_error, "") << grouped.out;
  EXPECT_EQ(grouped.out.find("\"status\":\"applied\""), std::string::npos) << grouped.out;
  for (const auto& c : clients_) {
    EXPECT_EQ(grouped.clients.at(c)["status"], "failed") << c;
    EXPECT_NE(grouped.clients.at(c)["error"].get<std::string>().find("refused by the test"),
              std::string::npos)
        << grouped.clients.at(c);
    EXPECT_EQ(store_.rows(c), before[c]) << c;
    EXPECT_EQ(state_day(c), 1) << c;
  }
  EXPECT_EQ(h::count_lines(grouped.err), clients_.size()) << grouped.err;
  EXPECT_EQ(grouped.summary["commits"], 0);

  const SyncResult alone = run_sync(data_, store_.db(), {"--group", "1"}, dir_.path());
  EXPECT_EQ(alone.exit_code, 2) << alone.err;
  for (const auto& c : clients_) {
    EXPECT_EQ(alone.clients.at(c)["status"], c == "client_3" ? "failed" : "applied") << c;
  }
  EXPECT_EQ(state_day("client_3"), 1);

  store_.exec("DROP TRIGGER refuse_client_3 ON snapdelta_runs");
  const SyncResult last = run_sync(data_, store_.db(), {}, dir_.path());
  EXPECT_EQ(last.exit_code, 0) << last.err;
  RunCounts want;
  for (const auto& c : clients_) {
    for (int d = 1; d <= 2; ++d) want[{c, d}] = 1;
    EXPECT_EQ(store_.rows(c), reference_of_zip(day_path(data_, c, 2))) << c;
  }
  EXPECT_EQ(run_counts(store_), want);
}

}  // namespace
