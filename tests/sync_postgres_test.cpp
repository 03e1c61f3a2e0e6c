// `snapdelta sync` workers on PostgreSQL, through the binary: four `sync --db postgresql://...`
// processes share 100 small clients, day after day, while some of them are SIGKILLed at random
// moments and started again. Afterwards every client equals a plain recomputation of its drop
// (and, for a sample, a `run --mode full` of it), each (client, day) is in snapdelta_runs exactly
// once, every worker that ran to its end reports every client applied or current (a client another
// worker held was taken again before it ended), and no client was applied by two workers.
// A fresh database of the test server (SNAPDELTA_TEST_PG); without one the test fails.
// SNAPDELTA_SEED=S replays a random sequence.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
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
    generate::Options o;
    o.data_dir = dir_ / "data";
    o.clients = kClients;
    o.days = kDays;
    o.base_rows = 300;
    o.rows_per_day = 60;
    o.skus = 40;
    o.late_fraction = 0.2;
    o.seed = rng_();
    o.threads = 1;
    generate::run(o);
    data_ = o.data_dir;
    for (int c = 1; c <= kClients; ++c) clients_.push_back("client_" + std::to_string(c));
  }

  std::vector<std::string> worker_args(int through_day) const {
    return sync_args(data_, store_.db(),
                     {"--through-day", std::to_string(through_day), "--jobs", "2", "--threads", "1",
                      "--busy-timeout-ms", "20000"});
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
  // The recomputation agrees with `run --mode full` (a sample of clients).
  FullRunReference full(data_, dir_.path());
  for (int i = 0; i < 3; ++i) {
    const std::string& c = clients_[rng_() % clients_.size()];
    EXPECT_EQ(full.rows(c, day), reference_of_zip(day_path(data_, c, day))) << c;
  }
}

TEST_F(SyncPgWorkers, KilledAndRestartedWorkersApplyEachClientDayOnce) {
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

}  // namespace
