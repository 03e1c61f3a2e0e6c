// Tests for src/source/drop_settler: a drop is handed out only after its size and mtime held still
// for the settle time and its container is complete (a zip's central directory, a gzip file's last
// trailer, a zstd file's last frame); a change restarts the wait; a stable but truncated drop is
// neither handed out nor judged again until it changes; each version of a file is handed out once;
// mark_taken() and through_day are honoured. Time is passed in, so the tests never sleep.
#include "source/drop_settler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "generate/generator.h"
#include "source/drop_catalog.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace snapdelta;
using namespace std::chrono_literals;
using test::TempDir;

namespace {

using Clock = DropSettler::Clock;

std::string csv(int rows) {
  std::string text = "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";
  for (int i = 1; i <= rows; ++i) text += std::to_string(i) + ",2025-10-01,SKU_1,1,1.00\n";
  return text;
}

class Settler : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.path() / "c");
    test::write_zip_text(full_.string(), csv(2000));
  }
  std::string drop(int day) const { return drops::drop_path(dir_.str(), "c", day); }
  void write_zip(int day) const { fs::copy_file(full_, drop(day)); }
  void write_prefix(int day, size_t bytes) const {
    test::write_file(drop(day), test::read_file(full_.string()).substr(0, bytes));
  }
  // Touches the client at `t`, then polls at `t` and returns the days handed out.
  std::vector<int> touch_poll(DropSettler& s, Clock::time_point t) const {
    s.touch("c", t);
    return poll(s, t);
  }
  static std::vector<int> poll(DropSettler& s, Clock::time_point t) {
    std::vector<int> days;
    for (const SettledDrop& d : s.poll(t)) {
      EXPECT_EQ(d.client, "c");
      days.push_back(d.day);
    }
    return days;
  }

  TempDir dir_{"settler"};
  fs::path full_ = dir_.path() / "full.zip";
  DropSettler settler_{dir_.str(), 200ms, std::nullopt};
  Clock::time_point t0_ = Clock::now();
};

TEST_F(Settler, HandsOutAStableCompleteDropOnceAfterTheSettleTime) {
  write_zip(1);
  EXPECT_EQ(touch_poll(settler_, t0_), std::vector<int>{});
  ASSERT_TRUE(settler_.next_check().has_value());
  EXPECT_EQ(*settler_.next_check(), t0_ + 200ms);
  EXPECT_EQ(poll(settler_, t0_ + 199ms), std::vector<int>{});
  EXPECT_EQ(poll(settler_, t0_ + 200ms), std::vector<int>{1});
  EXPECT_FALSE(settler_.next_check().has_value());
  EXPECT_EQ(touch_poll(settler_, t0_ + 1s), std::vector<int>{}) << "the same file twice";
  EXPECT_FALSE(settler_.next_check().has_value());
}

TEST_F(Settler, AChangeRestartsTheWait) {
  write_prefix(1, 1000);
  EXPECT_EQ(touch_poll(settler_, t0_), std::vector<int>{});
  write_prefix(1, 2000);
  EXPECT_EQ(touch_poll(settler_, t0_ + 150ms), std::vector<int>{});
  fs::remove(drop(1));
  write_zip(1);
  EXPECT_EQ(touch_poll(settler_, t0_ + 300ms), std::vector<int>{});
  EXPECT_EQ(poll(settler_, t0_ + 499ms), std::vector<int>{});
  EXPECT_EQ(poll(settler_, t0_ + 500ms), std::vector<int>{1});
}

// Stable and still incomplete past the grace (10x settle, at least 5 s): handed out once, to be
// judged where it is read; handed out again only once it changes.
TEST_F(Settler, AStableBadDropIsHandedOutOnceAfterTheGrace) {
  EXPECT_EQ(DropSettler::grace(200ms), 5s);
  EXPECT_EQ(DropSettler::grace(1s), 10s);
  write_prefix(1, 100);
  EXPECT_EQ(touch_poll(settler_, t0_), std::vector<int>{});
  EXPECT_EQ(poll(settler_, t0_ + 200ms + 5s - 1ms), std::vector<int>{});
  EXPECT_EQ(poll(settler_, t0_ + 200ms + 5s), std::vector<int>{1});
  EXPECT_FALSE(settler_.next_check().has_value());
  EXPECT_EQ(touch_poll(settler_, t0_ + 20s), std::vector<int>{}) << "once until it changes";
  EXPECT_FALSE(settler_.next_check().has_value());
}

TEST_F(Settler, AStableTruncatedDropWaitsForItsNextChange) {
  const size_t size = fs::file_size(full_);
  write_prefix(1, size - 10);  // everything but the end of the central directory
  EXPECT_EQ(touch_poll(settler_, t0_), std::vector<int>{});
  EXPECT_EQ(poll(settler_, t0_ + 1s), std::vector<int>{});
  EXPECT_EQ(settler_.next_check(), t0_ + 200ms + 5s) << "judged again once the grace ends";
  EXPECT_EQ(touch_poll(settler_, t0_ + 2s), std::vector<int>{}) << "unchanged: still waiting";
  EXPECT_EQ(settler_.next_check(), t0_ + 200ms + 5s);
  fs::remove(drop(1));
  write_zip(1);
  EXPECT_EQ(touch_poll(settler_, t0_ + 3s), std::vector<int>{});
  EXPECT_EQ(poll(settler_, t0_ + 3s + 200ms), std::vector<int>{1});
}

// A gzip drop whose last member has no trailer yet, or a zstd drop whose last frame is cut short,
// is still being written: waited for as a zip without its central directory is.
TEST(SettlerStreams, ACompressedDropWithoutItsEndWaitsLikeAZipWithoutItsDirectory) {
  const std::pair<generate::Container, std::string> containers[] = {
      {generate::Container::gzip, "csv.gz"},
      {generate::Container::gzip_append, "csv.gz"},
      {generate::Container::zstd, "csv.zst"},
      {generate::Container::zstd_append, "csv.zst"}};
  for (const auto& [container, extension] : containers) {
    SCOPED_TRACE(generate::container_option(container));
    TempDir dir("settler_stream");
    generate::Options g;
    g.data_dir = dir / "gen";
    g.clients = 1;
    g.days = 2;
    g.base_rows = 2000;
    g.rows_per_day = 300;
    g.threads = 1;
    g.container = container;
    generate::run(g);
    const DropPattern pattern =
        *DropPattern::compile("{client}/transactions_day_{day}." + extension);
    const std::string full = test::read_file(drops::drop_path(g.data_dir, "client_1", 2, pattern));
    fs::create_directories(dir.path() / "data" / "client_1");
    const std::string path = drops::drop_path(dir / "data", "client_1", 2, pattern);
    test::write_file(path, full.substr(0, full.size() - 3));  // all but the end of the last part
    DropSettler settler(dir / "data", 200ms, std::nullopt, pattern);
    const Clock::time_point t0 = Clock::now();
    settler.touch("client_1", t0);
    EXPECT_TRUE(settler.poll(t0).empty());
    EXPECT_TRUE(settler.poll(t0 + 1s).empty()) << "stable but incomplete: still being written";
    EXPECT_EQ(settler.next_check(), t0 + 200ms + 5s) << "judged again once the grace ends";
    test::write_file(path, full);
    settler.touch("client_1", t0 + 2s);
    EXPECT_TRUE(settler.poll(t0 + 2s).empty());
    const std::vector<SettledDrop> out = settler.poll(t0 + 2s + 200ms);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].day, 2);
  }
}

TEST_F(Settler, JudgesTheNewestDropAndHonoursMarkTakenAndThroughDay) {
  write_zip(1);
  settler_.mark_taken("c");
  EXPECT_EQ(touch_poll(settler_, t0_), std::vector<int>{});
  EXPECT_FALSE(settler_.next_check().has_value()) << "day 1 was taken before";
  write_zip(2);
  write_zip(3);
  EXPECT_EQ(touch_poll(settler_, t0_), std::vector<int>{});
  EXPECT_EQ(poll(settler_, t0_ + 200ms), std::vector<int>{3});

  DropSettler through_2(dir_.str(), 0ms, 2);
  EXPECT_EQ(touch_poll(through_2, t0_), std::vector<int>{});
  EXPECT_EQ(poll(through_2, t0_), std::vector<int>{2}) << "settle 0: at the next poll";
}

TEST_F(Settler, AClientWithoutDropsHasNothingToHandOut) {
  EXPECT_EQ(touch_poll(settler_, t0_), std::vector<int>{});
  settler_.touch("no_such_client", t0_);
  EXPECT_TRUE(settler_.poll(t0_ + 1s).empty());
  EXPECT_FALSE(settler_.next_check().has_value());
}

}  // namespace
