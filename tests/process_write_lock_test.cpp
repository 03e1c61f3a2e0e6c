// process_write_lock.h and its use by SqliteStore: one mutex per file for every spelling of its
// path; two stores of one file in one process take turns writing (the second waits for the first
// to commit, and gives up after its busy timeout with an error naming the file); a checkpoint
// after the turn leaves every committed row in place.
#include "store/process_write_lock.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <string>
#include <thread>

#include "common/date.h"
#include "common/error.h"
#include "store/sqlite_store.h"
#include "test_support.h"

using namespace snapdelta;

namespace {

ClientState state_of(const std::string& client, int day) {
  ClientState s;
  s.client = client;
  s.day = day;
  s.file = "data/" + client + "/transactions_day_" + std::to_string(day) + ".zip";
  s.mode = RunMode::incremental;
  return s;
}

TEST(ProcessWriteLock, OneMutexPerFileWhateverThePathsSpelling) {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "sub");
  std::filesystem::create_directory_symlink(dir / "sub", dir / "link");
  const auto a = ProcessWriteLock::for_file(dir / "sub/x.db");
  EXPECT_EQ(a, ProcessWriteLock::for_file(dir / "sub/./x.db"));
  EXPECT_EQ(a, ProcessWriteLock::for_file(dir / "sub/../sub/x.db"));
  EXPECT_EQ(a, ProcessWriteLock::for_file(dir / "link/x.db"));
  EXPECT_NE(a, ProcessWriteLock::for_file(dir / "sub/y.db"));
}

TEST(ProcessWriteLock, TwoStoresOfOneFileTakeTurnsAndTheSecondTimesOut) {
  test::TempDir dir;
  const std::string db = dir / "turns.db";
  SqliteStore first(db, StoreOpen::create_if_missing, 60000);
  SqliteStore second(db, StoreOpen::create_if_missing, 150);
  auto w = first.begin_write("a");
  w->save_state(state_of("a", 1));
  try {
    second.begin_write("b");
    FAIL() << "a second writer of the file started while the first held its turn";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(db), std::string::npos) << what;
    EXPECT_NE(what.find("--busy-timeout-ms (150 ms)"), std::string::npos) << what;
  }
  // A writer that waits gets its turn once the first commits.
  SqliteStore third(db, StoreOpen::create_if_missing, 60000);
  auto waiting = std::async(std::launch::async, [&] {
    auto w3 = third.begin_write("c");
    const bool sees_a = w3->load_progress().has_value() || third.load_progress("a").has_value();
    w3->save_state(state_of("c", 2));
    w3->commit();
    return sees_a;
  });
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
  w->commit();
  EXPECT_TRUE(waiting.get());
  EXPECT_EQ(first.load_progress("a")->day, 1);
  EXPECT_EQ(first.load_progress("c")->day, 2);
  EXPECT_FALSE(first.load_progress("b").has_value());
}

TEST(ProcessWriteLock, CheckpointsAfterTheTurnKeepEveryCommittedRow) {
  test::TempDir dir;
  const std::string db = dir / "many.db";
  {
    SqliteStore a(db, StoreOpen::create_if_missing, 60000);
    SqliteStore b(db, StoreOpen::create_if_missing, 60000);
    auto writer = [&](SqliteStore& s, const std::string& prefix) {
      for (int i = 0; i < 300; ++i) {
        std::vector<test::SalesInput> rows;
        for (uint32_t k = 0; k < 40; ++k)
          rows.push_back({format_date(20000 + i), "sku" + std::to_string(k), 1, 5});
        auto w = s.begin_write(prefix + std::to_string(i));
        w->replace_groups(test::builtin_groups(rows));
        w->save_state(state_of(prefix + std::to_string(i), 1));
        w->commit();
      }
    };
    std::thread ta([&] { writer(a, "a"); });
    std::thread tb([&] { writer(b, "b"); });
    ta.join();
    tb.join();
  }
  SqliteStore check(db, StoreOpen::existing, 60000);
  EXPECT_EQ(check.all_states().size(), 600u);
  EXPECT_EQ(check.table_rows("a299", 0).size(), 40u);
  EXPECT_EQ(check.table_rows("b0", 0).size(), 40u);
}

}  // namespace
