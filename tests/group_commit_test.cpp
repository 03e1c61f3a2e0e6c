// Group commit, on SQLite and PostgreSQL: Store::begin_group's GroupWrite (store.h) and sync's
// GroupCommitter (pipeline/group_commit.h), through the library.
// - a member written and kept lands with the group; one destroyed without commit() is undone alone
//   (its state and run-log row absent), the others of the group land; a group never committed
//   keeps nothing;
// - PostgreSQL: a client claimed in a group is passed over by another connection's
//   try_begin_write until the group ends, and a group passes over a client another connection
//   holds;
// - the committer closes a group at N clients, and T ms after it opened with no caller coming
//   back (the timer); a client whose write throws is undone alone while the others land; a client
//   whose state moved since its basis is left out, its write never called.
#include "pipeline/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "job/builtin_job.h"
#include "store_kind.h"

using namespace snapdelta;

namespace {

ClientState state_of(const std::string& client, int day) {
  ClientState s;
  s.client = client;
  s.day = day;
  s.file = "data/" + client + "/transactions_day_" + std::to_string(day) + ".zip";
  s.rows = 100 + static_cast<uint64_t>(day);
  s.bytes = 1000 + static_cast<uint64_t>(day);
  return s;
}

RunLogEntry run_of(const std::string& client, int day) {
  RunLogEntry e;
  e.client = client;
  e.day = day;
  e.file = state_of(client, day).file;
  e.path = "checkpoint";
  e.host = "test";
  return e;
}

// A client's whole write: its state and run-log row, then commit() (a member: kept for the group).
void write_day(ClientWrite& w, const std::string& client, int day) {
  w.save_state(state_of(client, day));
  w.log_run(run_of(client, day));
  w.commit();
}

class GroupCommit : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { kind_.open()->begin_write("setup")->commit(); }  // the schema

  // Each client's state day (0: none) and run-log rows, as another connection reads them.
  std::string day_of(const std::string& client) const {
    const auto rows =
        kind_.query("SELECT day FROM snapdelta_state WHERE client_id = '" + client + "'");
    return rows.empty() ? "none" : rows[0][0];
  }
  std::string runs_of(const std::string& client) const {
    return kind_.query("SELECT count(*) FROM snapdelta_runs WHERE client_id = '" + client +
                       "'")[0][0];
  }
  StoreOptions where() const {
    return StoreOptions{kind_.db(), StoreOpen::create_if_missing, 10000};
  }

  test::StoreKind kind_{GetParam()};
};

TEST_P(GroupCommit, AMemberNotKeptIsUndoneAloneAndTheOthersLandTogether) {
  const auto store = kind_.open();
  auto group = store->begin_group();
  write_day(*group->try_add("a"), "a", 1);
  {
    const auto b = group->try_add("b");
    ASSERT_NE(b, nullptr);
    b->save_state(state_of("b", 1));
    b->log_run(run_of("b", 1));
  }  // destroyed without commit(): undone
  write_day(*group->try_add("c"), "c", 1);
  EXPECT_EQ(day_of("a"), "none") << "visible before the group committed";
  group->commit();
  EXPECT_EQ(day_of("a"), "1");
  EXPECT_EQ(day_of("b"), "none");
  EXPECT_EQ(day_of("c"), "1");
  EXPECT_EQ(runs_of("a"), "1");
  EXPECT_EQ(runs_of("b"), "0");
  EXPECT_EQ(runs_of("c"), "1");
}

TEST_P(GroupCommit, AGroupNeverCommittedKeepsNothing) {
  {
    const auto store = kind_.open();
    auto group = store->begin_group();
    write_day(*group->try_add("a"), "a", 1);
    write_day(*group->try_add("b"), "b", 1);
  }
  EXPECT_EQ(day_of("a"), "none");
  EXPECT_EQ(day_of("b"), "none");
  EXPECT_EQ(runs_of("a"), "0");
}

TEST_P(GroupCommit, TheCommitterClosesAGroupAtNClients) {
  GroupCommitter committer(where(), builtin_job(), GroupLimits{2, 600000});
  std::vector<std::string> landed;
  const auto land = [&](const std::string& client) {
    return committer.land(
        client, std::nullopt, [&](ClientWrite& w) { write_day(w, client, 1); },
        [&landed, client](const std::string& error, size_t group) {
          landed.push_back(client + ":" + error + ":" + std::to_string(group));
        });
  };
  EXPECT_EQ(land("a"), FenceTurn::applied);
  EXPECT_TRUE(landed.empty());
  EXPECT_EQ(land("b"), FenceTurn::applied);
  EXPECT_EQ(landed, (std::vector<std::string>{"a::1", "b::1"}));
  EXPECT_EQ(day_of("b"), "1");
  EXPECT_EQ(land("c"), FenceTurn::applied);
  committer.flush();
  EXPECT_EQ(landed.back(), "c::2");
  EXPECT_EQ(committer.groups(), 2u);
}

TEST_P(GroupCommit, TheCommitterClosesAGroupTMsAfterItOpened) {
  GroupCommitter committer(where(), builtin_job(), GroupLimits{1000, 20});
  std::atomic<int> landed{0};
  EXPECT_EQ(committer.land(
                "a", std::nullopt, [&](ClientWrite& w) { write_day(w, "a", 1); },
                [&landed](const std::string& error, size_t) { landed += error.empty() ? 1 : 100; }),
            FenceTurn::applied);
  // No caller comes back: the timer closes it (waited for up to 20 s on a loaded machine).
  for (int i = 0; i < 2000 && landed == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(landed, 1);
  EXPECT_EQ(committer.groups(), 1u);
  EXPECT_EQ(day_of("a"), "1");
}

TEST_P(GroupCommit, AClientThatFailsInsideTheCommitterIsUndoneAloneAndTheOthersLand) {
  GroupCommitter committer(where(), builtin_job(), GroupLimits{32, 600000});
  std::vector<std::string> landed;
  const auto done = [&landed](const std::string& client) {
    return [&landed, client](const std::string& error, size_t) {
      landed.push_back(client + ":" + error);
    };
  };
  committer.land(
      "a", std::nullopt, [](ClientWrite& w) { write_day(w, "a", 1); }, done("a"));
  EXPECT_THROW(committer.land(
                   "b", std::nullopt,
                   [](ClientWrite& w) {
                     w.save_state(state_of("b", 1));
                     w.log_run(run_of("b", 1));
                     throw Error("bad data found late");
                   },
                   done("b")),
               Error);
  committer.land(
      "c", std::nullopt, [](ClientWrite& w) { write_day(w, "c", 1); }, done("c"));
  committer.flush();
  EXPECT_EQ(landed, (std::vector<std::string>{"a:", "c:"}));
  EXPECT_EQ(day_of("a"), "1");
  EXPECT_EQ(day_of("b"), "none");
  EXPECT_EQ(runs_of("b"), "0");
  EXPECT_EQ(day_of("c"), "1");
}

TEST_P(GroupCommit, AClientThatMovedSinceItsBasisIsLeftOut) {
  {
    const auto store = kind_.open();
    write_day(*store->begin_write("a"), "a", 1);
  }
  GroupCommitter committer(where(), builtin_job(), GroupLimits{32, 600000});
  bool wrote = false, landed = false;
  // Prepared against no state, but the store now holds day 1: moved.
  EXPECT_EQ(committer.land(
                "a", std::nullopt, [&wrote](ClientWrite&) { wrote = true; },
                [&landed](const std::string&, size_t) { landed = true; }),
            FenceTurn::moved);
  committer.flush();
  EXPECT_FALSE(wrote);
  EXPECT_FALSE(landed);
  EXPECT_EQ(runs_of("a"), "1");
}

INSTANTIATE_TEST_SUITE_P(Stores, GroupCommit, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

// SQLite's group holds the whole database (another writer waits for it, store.h); PostgreSQL's
// holds its clients' row locks, which other connections pass over.
TEST(GroupCommitPostgres, AClaimedClientIsPassedOverUntilTheGroupEnds) {
  const test::StoreKind kind("postgres");
  const auto store = kind.open();
  const auto other = kind.open();
  store->begin_write("setup")->commit();  // the schema (its creation locks it until commit)
  auto group = store->begin_group();
  write_day(*group->try_add("a"), "a", 1);
  EXPECT_EQ(other->try_begin_write("a"), nullptr) << "a client kept in a group was taken";
  {
    const auto held = other->try_begin_write("h");
    ASSERT_NE(held, nullptr);
    EXPECT_EQ(group->try_add("h"), nullptr) << "a client another connection holds was taken";
    write_day(*group->try_add("c"), "c", 1);  // the group goes on
  }
  group->commit();
  EXPECT_NE(other->try_begin_write("a"), nullptr) << "still held after the group ended";
  EXPECT_EQ(kind.query("SELECT client_id FROM snapdelta_state ORDER BY 1"),
            (std::vector<std::vector<std::string>>{{"a"}, {"c"}}));
}

}  // namespace
