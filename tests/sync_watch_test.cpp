// `snapdelta sync --watch` through the binary, on SQLite: drops that land while it watches are
// applied once, only when complete, in order; a client folder created later is picked up; a drop
// still being written is waited for and never reported, a complete but corrupt one is reported
// once and the other clients go on; SIGINT and SIGTERM stop it with exit 0. Every wait has a
// deadline, and the child is killed when a test ends, so a bug fails the test instead of hanging.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "child_harness.h"
#include "reference_rows.h"

namespace {

using namespace snapdelta::test::harness;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kSettleMs = 200;
constexpr auto kDeadline = 20s;
constexpr int kDays = 6;

// Polls `done` every 20 ms until it holds or `limit` passes; returns its last answer.
template <class F>
bool eventually(F done, std::chrono::milliseconds limit = kDeadline) {
  const auto until = Clock::now() + limit;
  while (Clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return done();
}

// A `snapdelta` child whose stdout and stderr can be read while it runs.
class WatchProcess {
 public:
  WatchProcess(const std::vector<std::string>& args, const fs::path& dir)
      : out_(dir / "watch.out"), err_(dir / "watch.err") {
    std::vector<std::string> argv_s{SNAPDELTA_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    // Empty the output files here, before the child starts: a reader must never take an earlier
    // child's output (its "first pass done" line) for this one's.
    for (const fs::path& f : {out_, err_}) std::ofstream(f, std::ios::trunc);
    std::fflush(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      const int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (out < 0 || err < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) _exit(126);
      ::execv(argv[0], argv.data());
      _exit(127);
    }
  }
  WatchProcess(const WatchProcess&) = delete;
  WatchProcess& operator=(const WatchProcess&) = delete;
  ~WatchProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  std::string out() const { return slurp(out_); }
  std::string err() const { return slurp(err_); }
  void signal(int sig) const { ::kill(pid_, sig); }
  // The wait status once the child has ended within `limit`; nullopt while it still runs.
  std::optional<int> wait_exit(std::chrono::milliseconds limit) {
    int status = 0;
    const bool ended = eventually(
        [&] {
          if (!reaped_ && ::waitpid(pid_, &status, WNOHANG) == pid_) reaped_ = true;
          return reaped_;
        },
        limit);
    return ended ? std::optional<int>(status) : std::nullopt;
  }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  fs::path out_, err_;
};

class SyncWatchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = make_scratch("sync-watch");
    ASSERT_FALSE(scratch_.empty());
    pool_ = scratch_ / "pool";
    const ChildResult g = run({"generate", "--data-dir", pool_.string(), "--clients", "3", "--days",
                               std::to_string(kDays), "--base-rows", "60000", "--rows-per-day",
                               "2000", "--skus", "300", "--threads", "1"},
                              scratch_);
    ASSERT_TRUE(g.ok()) << describe(g);
  }
  static void TearDownTestSuite() { remove_scratch(scratch_); }

  void SetUp() override {
    dir_ = scratch_ / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    data_ = dir_ / "data";
    db_ = dir_ / "watch.db";
    fs::create_directories(data_);
  }
  void TearDown() override { watch_.reset(); }  // kills the child if a test left it running

  static fs::path pool_drop(const std::string& client, int day) {
    return pool_ / client / ("transactions_day_" + std::to_string(day) + ".zip");
  }
  fs::path drop(const std::string& client, int day) const {
    return data_ / client / ("transactions_day_" + std::to_string(day) + ".zip");
  }
  // Copies the client's drops of days 1..through from the pool, each at once.
  void seed(const std::string& client, int through) const {
    fs::create_directories(data_ / client);
    for (int d = 1; d <= through; ++d) fs::copy_file(pool_drop(client, d), drop(client, d));
  }
  // Starts `sync --watch` on data_/db_ and waits for its first pass to be printed.
  void start(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"sync",        "--watch",
                                  "--settle-ms", std::to_string(kSettleMs),
                                  "--data-dir",  data_.string(),
                                  "--db",        db_.string(),
                                  "--threads",   "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    watch_ = std::make_unique<WatchProcess>(args, dir_);
    const bool ready = eventually([&] {
      const std::string out = watch_->out();
      return out.find("synced ") != std::string::npos ||
             out.find("\"summary\"") != std::string::npos;
    });
    ASSERT_TRUE(ready) << "stdout: " << watch_->out() << "\nstderr: " << watch_->err();
  }
  int state_day(const std::string& client) const { return Db(db_).state_day(client); }
  bool state_reaches(const std::string& client, int day) const {
    return eventually([&] { return state_day(client) == day; });
  }
  // The days the run log holds for the client, in the order they were applied.
  std::vector<int> logged_days(const std::string& client) const {
    const std::string text =
        Db(db_).query("SELECT day FROM snapdelta_runs WHERE client_id=? ORDER BY rowid", client);
    std::vector<int> days;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) days.push_back(std::stoi(line));
    return days;
  }
  // The client's rows as the independent recomputation gives them for the pool's drop of `day`.
  std::vector<Row> reference(const std::string& client, int day) const {
    return snapdelta::test::reference_rows_of_zip(pool_drop(client, day).string());
  }
  std::string context() const {
    return watch_ ? "\nstdout: " + watch_->out() + "\nstderr: " + watch_->err() : "";
  }

  static inline fs::path scratch_, pool_;
  fs::path dir_, data_, db_;
  std::unique_ptr<WatchProcess> watch_;
};

void write_bytes(int fd, const std::string& bytes) {
  for (size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    ASSERT_GT(n, 0);
    done += static_cast<size_t>(n);
  }
}

TEST_F(SyncWatchTest, SlowlyWrittenDropIsAppliedOnceWhenComplete) {
  seed("client_1", 2);
  seed("client_2", 2);
  start();
  ASSERT_EQ(state_day("client_1"), 2) << context();
  const std::string bytes = slurp(pool_drop("client_1", 3));
  constexpr size_t kPiece = 64 * 1024;
  ASSERT_GT(bytes.size(), 5 * kPiece) << "the drop should take several pieces to write";
  const int fd = ::open(drop("client_1", 3).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  for (size_t at = 0, piece = 0; at < bytes.size(); at += kPiece, ++piece) {
    write_bytes(fd, bytes.substr(at, kPiece));
    // Mostly 50 ms apart, every third piece a pause longer than half the settle time.
    std::this_thread::sleep_for(piece % 3 == 2 ? std::chrono::milliseconds(kSettleMs * 2 / 3)
                                               : 50ms);
    ASSERT_EQ(state_day("client_1"), 2) << "applied before it was complete" << context();
  }
  ::close(fd);
  ASSERT_TRUE(state_reaches("client_1", 3)) << context();
  std::this_thread::sleep_for(std::chrono::milliseconds(3 * kSettleMs));  // no second take
  EXPECT_EQ(watch_->err(), "");
  EXPECT_EQ(logged_days("client_1"), (std::vector<int>{2, 3}));
  EXPECT_EQ(logged_days("client_2"), (std::vector<int>{2}));
  EXPECT_EQ(Db(db_).rows("client_1"), reference("client_1", 3));
  EXPECT_NE(watch_->out().find("client_1"), std::string::npos);
  const std::string out = watch_->out();
  const std::string last_line = out.substr(out.rfind('\n', out.size() - 2) + 1);
  EXPECT_NE(last_line.find("client_1"), std::string::npos) << out;
  EXPECT_NE(last_line.find("applied"), std::string::npos) << out;
}

TEST_F(SyncWatchTest, DaysLandingInOrderAreAppliedInOrder) {
  seed("client_1", 2);
  start({"--json"});
  for (int day = 3; day <= kDays; ++day) {
    fs::copy_file(pool_drop("client_1", day), drop("client_1", day));
    std::this_thread::sleep_for(std::chrono::milliseconds(2 * kSettleMs));
  }
  ASSERT_TRUE(state_reaches("client_1", kDays)) << context();
  std::this_thread::sleep_for(std::chrono::milliseconds(3 * kSettleMs));
  const std::vector<int> days = logged_days("client_1");
  ASSERT_GE(days.size(), 2u);
  EXPECT_EQ(days.front(), 2);
  EXPECT_EQ(days.back(), kDays);
  for (size_t i = 1; i < days.size(); ++i) EXPECT_LT(days[i - 1], days[i]) << "log out of order";
  EXPECT_EQ(watch_->err(), "");
  EXPECT_EQ(Db(db_).rows("client_1"), reference("client_1", kDays));
  // After the first pass and its summary, one JSON object per applied drop, days rising.
  std::istringstream out(watch_->out());
  std::vector<int> printed;
  bool after_summary = false;
  for (std::string line; std::getline(out, line);) {
    const nlohmann::json j = nlohmann::json::parse(line);
    if (j.contains("summary")) {
      after_summary = true;
    } else if (after_summary) {
      EXPECT_EQ(j["status"], "applied") << line;
      printed.push_back(j["to_day"].get<int>());
    }
  }
  EXPECT_EQ(printed, std::vector<int>(days.begin() + 1, days.end()));
}

TEST_F(SyncWatchTest, ClientFolderCreatedLaterIsPickedUp) {
  seed("client_1", 2);
  start();
  // A folder created, then its drops written after a while...
  fs::create_directories(data_ / "client_3");
  std::this_thread::sleep_for(100ms);
  fs::copy_file(pool_drop("client_3", 1), drop("client_3", 1));
  ASSERT_TRUE(state_reaches("client_3", 1)) << context();
  fs::copy_file(pool_drop("client_3", 2), drop("client_3", 2));
  ASSERT_TRUE(state_reaches("client_3", 2)) << context();
  // ... and one whose drop is written right after the folder appears.
  fs::create_directories(data_ / "client_2");
  fs::copy_file(pool_drop("client_2", 4), drop("client_2", 4));
  ASSERT_TRUE(state_reaches("client_2", 4)) << context();
  EXPECT_EQ(watch_->err(), "");
  EXPECT_EQ(Db(db_).rows("client_3"), reference("client_3", 2));
  EXPECT_EQ(Db(db_).rows("client_2"), reference("client_2", 4));
  EXPECT_EQ(logged_days("client_3"), (std::vector<int>{1, 2}));
  EXPECT_EQ(state_day("client_1"), 2);
}

TEST_F(SyncWatchTest, IncompleteDropIsWaitedForCorruptOneReportedOnce) {
  seed("client_1", 2);
  seed("client_2", 2);
  start();
  // A truncated drop that holds still longer than the settle time is still being written.
  const std::string bytes = slurp(pool_drop("client_1", 3));
  const int fd = ::open(drop("client_1", 3).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  write_bytes(fd, bytes.substr(0, bytes.size() / 2));
  std::this_thread::sleep_for(std::chrono::milliseconds(4 * kSettleMs));
  EXPECT_EQ(state_day("client_1"), 2);
  EXPECT_EQ(watch_->err(), "") << "a drop still being written was reported";
  write_bytes(fd, bytes.substr(bytes.size() / 2));
  ::close(fd);
  ASSERT_TRUE(state_reaches("client_1", 3)) << context();
  EXPECT_EQ(watch_->err(), "");

  // A complete drop (central directory intact) with corrupt compressed data fails, once.
  std::string corrupt = slurp(pool_drop("client_2", 3));
  for (size_t i = corrupt.size() / 2; i < corrupt.size() / 2 + 64; ++i) corrupt[i] ^= 0x5a;
  const fs::path bad = drop("client_2", 3);
  std::ofstream(bad, std::ios::binary) << corrupt;
  ASSERT_TRUE(eventually([&] { return count_lines(watch_->err()) >= 1; })) << context();
  const std::string err = watch_->err();
  EXPECT_EQ(err.rfind(bad.string(), 0), 0u) << err;
  // The other clients go on, and the bad drop is not tried again while it stays as it is.
  fs::copy_file(pool_drop("client_1", 4), drop("client_1", 4));
  ASSERT_TRUE(state_reaches("client_1", 4)) << context();
  std::this_thread::sleep_for(std::chrono::milliseconds(4 * kSettleMs));
  EXPECT_EQ(watch_->err(), err);
  EXPECT_EQ(state_day("client_2"), 2);
  // Once it is replaced by a good drop (moved in), it is applied.
  const fs::path fixed = data_ / "client_2" / "incoming.tmp";
  fs::copy_file(pool_drop("client_2", 3), fixed);
  fs::rename(fixed, bad);
  ASSERT_TRUE(state_reaches("client_2", 3)) << context();
  EXPECT_EQ(watch_->err(), err);
  EXPECT_EQ(logged_days("client_1"), (std::vector<int>{2, 3, 4}));
  EXPECT_EQ(logged_days("client_2"), (std::vector<int>{2, 3}));
  EXPECT_EQ(Db(db_).rows("client_1"), reference("client_1", 4));
  EXPECT_EQ(Db(db_).rows("client_2"), reference("client_2", 3));
}

// A drop that is not a zip at all, holding still: once the grace (10x settle, at least 5 s) has
// passed it is judged like a one-shot sync: one line on stderr, the client failed and recorded,
// reported once until it changes. A slow upload whose pauses outlast the settle time but not the
// grace is never reported.
TEST_F(SyncWatchTest, AGarbageDropIsReportedOnceAfterTheGraceASlowUploadNever) {
  seed("client_1", 2);
  seed("client_2", 2);
  start();
  const fs::path bad = drop("client_1", 3);
  std::ofstream(bad, std::ios::binary) << "not a zip archive at all";
  const std::string bytes = slurp(pool_drop("client_2", 3));
  const int fd = ::open(drop("client_2", 3).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  for (int piece = 0; piece < 3; ++piece) {  // each pause 4x settle, far below the grace
    write_bytes(fd, bytes.substr(piece * bytes.size() / 3, bytes.size() / 3 + (piece == 2) * 3));
    std::this_thread::sleep_for(std::chrono::milliseconds(4 * kSettleMs));
  }
  ::close(fd);
  ASSERT_TRUE(state_reaches("client_2", 3)) << context();
  ASSERT_TRUE(eventually([&] { return count_lines(watch_->err()) >= 1; })) << context();
  const std::string err = watch_->err();
  EXPECT_EQ(err,
            bad.string() + ": expected a zip archive, found text \"not a zip archive at all\"\n");
  fs::copy_file(pool_drop("client_2", 4), drop("client_2", 4));
  ASSERT_TRUE(state_reaches("client_2", 4)) << context();
  EXPECT_EQ(watch_->err(), err) << "reported once";
  EXPECT_EQ(Db(db_).query("SELECT client_id, day FROM snapdelta_failures"), "client_1|3\n");
  EXPECT_EQ(state_day("client_1"), 2);
}

TEST_F(SyncWatchTest, SigtermAndSigintStopWithExitZero) {
  seed("client_1", 1);
  for (const int sig : {SIGTERM, SIGINT}) {
    start();
    watch_->signal(sig);
    // The exit is the event; the deadline only guards against a hang.
    const std::optional<int> status = watch_->wait_exit(kDeadline);
    ASSERT_TRUE(status.has_value()) << "still running after signal " << sig << context();
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
        << "signal " << sig << ", status " << *status << context();
    EXPECT_EQ(watch_->err(), "");
    watch_.reset();
  }
  EXPECT_EQ(state_day("client_1"), 1);
}

TEST_F(SyncWatchTest, BadSettleAndMissingDataDirAreOneLineErrors) {
  const ChildResult negative =
      run({"sync", "--watch", "--settle-ms", "-1", "--data-dir", data_.string()}, dir_);
  EXPECT_EQ(negative.exit_code, 2);
  EXPECT_EQ(negative.err, "--settle-ms: expected an integer >= 0, found \"-1\"\n");
  const ChildResult alone = run({"sync", "--settle-ms", "5", "--data-dir", data_.string()}, dir_);
  EXPECT_EQ(alone.exit_code, 2);
  EXPECT_EQ(count_lines(alone.err), 1u) << alone.err;
  EXPECT_NE(alone.err.find("--watch"), std::string::npos) << alone.err;
  const fs::path missing = dir_ / "no-such-dir";
  const ChildResult gone =
      run({"sync", "--watch", "--data-dir", missing.string(), "--db", db_.string()}, dir_);
  EXPECT_EQ(gone.exit_code, 2) << describe(gone);
  EXPECT_EQ(count_lines(gone.err), 1u) << gone.err;
  EXPECT_EQ(gone.err.rfind(missing.string() + ": expected a data directory", 0), 0u) << gone.err;
  EXPECT_FALSE(fs::exists(db_));
}

// The watch finds drops through the job's pattern and reads them in its container: plain CSV
// named by date here, not the seed's zips.
TEST_F(SyncWatchTest, DropsOfAnotherPatternAndContainerAreWatched) {
  const std::string header = "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";
  std::string text = header + "T1,2026-11-01,A,1,1.00\n";
  fs::create_directories(data_ / "acme");
  snapdelta::test::write_file((data_ / "acme" / "sales_20261101.csv").string(), text);
  start({"--pattern", "{client}/sales_{date:%Y%m%d}.csv"});
  text += "T2,2026-11-02,A,2,2.50\n";
  snapdelta::test::write_file((data_ / "acme" / "sales_20261102.csv").string(), text);
  const int nov2 = 20759;  // 2026-11-02 in days since 1970-01-01
  ASSERT_TRUE(state_reaches("acme", nov2)) << context();
  EXPECT_EQ(Db(db_).rows("acme").size(), 2u);
  EXPECT_EQ(watch_->err(), "");
}

}  // namespace
