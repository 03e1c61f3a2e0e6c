// Missing inputs through the real binary: a missing data directory, client or day names the
// absolute directory looked in and lists what does exist; every command finds drops by data dir
// + client + day, so `verify` works from another working directory with --data-dir; a missing
// database reads the same in `status`, `verify` and `log`. Each failure: one line, exit 2, no
// stdout. `status` looks for drops in ./data by default and, when there is no such directory,
// still shows the states and says in one line why it shows no lag.
#include <gtest/gtest.h>
#include <spawn.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"

namespace fs = std::filesystem;
using namespace snapdelta;
using test::TempDir;

namespace {

const std::string kHead = "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";
const std::string kDay1 = kHead + "T1,2025-01-01,SKU_1,2,10.50\nT2,2025-01-01,SKU_2,1,3.00\n";
const std::string kDay2 = kDay1 + "T3,2025-01-02,SKU_1,5,7.25\n";

// Runs the binary with `cwd` as its working directory.
test::ProcessResult run_in(const fs::path& cwd, const std::vector<std::string>& args) {
  return test::run_snapdelta(args, cwd.string(), cwd.string());
}

class MissingInput : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(work_);
    fs::create_directories(elsewhere_);
    for (const std::string client : {"client_1", "client_2"}) {
      test::write_zip_text(test::day_path(data_.string(), client, 1), kDay1);
      test::write_zip_text(test::day_path(data_.string(), client, 2), kDay2);
    }
    test::write_zip_text(test::day_path(data_.string(), "client_1", 4), kDay2);
  }

  // From `work_`, with the relative data dir "data".
  test::ProcessResult run(const std::string& client, int day, const std::string& data = "data") {
    return run_in(work_, {"run", "--mode", "incremental", "--client", client, "--day",
                          std::to_string(day), "--data-dir", data, "--db", "sales.db"});
  }

  static void expect_one_line_failure(const test::ProcessResult& r) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }

  static void expect_has(const std::string& text, const std::string& part) {
    EXPECT_NE(text.find(part), std::string::npos) << "missing \"" << part << "\" in: " << text;
  }

  TempDir dir_{"missing"};
  fs::path work_ = dir_.path() / "work";
  fs::path data_ = work_ / "data";
  fs::path elsewhere_ = dir_.path() / "elsewhere";
};

}  // namespace

TEST_F(MissingInput, AMissingDataDirIsNamedAbsolutelyWithAHint) {
  const test::ProcessResult r = run("client_1", 1, "no-data");
  expect_one_line_failure(r);
  EXPECT_EQ(r.err.rfind("no-data/client_1/transactions_day_1.zip: ", 0), 0u) << r.err;
  expect_has(r.err,
             "expected a data directory at " + (work_ / "no-data").string() + ", found none");
  expect_has(r.err, "--data-dir");
  expect_has(r.err, "snapdelta generate");
  EXPECT_FALSE(fs::exists(work_ / "sales.db"));
}

TEST_F(MissingInput, AMissingClientListsTheClientsThere) {
  const test::ProcessResult r = run("client_3", 1);
  expect_one_line_failure(r);
  expect_has(r.err, "expected client \"client_3\" in " + data_.string() +
                        ", found clients client_1, client_2");
}

TEST_F(MissingInput, AMissingDayListsTheClientsDays) {
  const test::ProcessResult r = run("client_1", 3);
  expect_one_line_failure(r);
  EXPECT_EQ(r.err.rfind("data/client_1/transactions_day_3.zip: ", 0), 0u) << r.err;
  expect_has(r.err, "expected day 3 in " + (data_ / "client_1").string() + ", found days 1-2, 4");
}

TEST_F(MissingInput, VerifyFromAnotherDirectoryFindsTheDropThroughDataDir) {
  ASSERT_EQ(run("client_1", 2).exit_code, 0);
  const std::string db = (work_ / "sales.db").string();
  const test::ProcessResult ok = run_in(
      elsewhere_, {"verify", "--client", "client_1", "--data-dir", data_.string(), "--db", db});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  expect_has(ok.out, "verify client_1: identical");
  expect_has(ok.out, (data_ / "client_1" / "transactions_day_2.zip").string());
  // Without --data-dir it looks in ./data of where it runs, and says so.
  const test::ProcessResult missing =
      run_in(elsewhere_, {"verify", "--client", "client_1", "--db", db});
  expect_one_line_failure(missing);
  expect_has(missing.err,
             "expected a data directory at " + (elsewhere_ / "data").string() + ", found none");
}

TEST_F(MissingInput, VerifyReadsTheStatesDayNotTheRecordedPath) {
  ASSERT_EQ(run("client_1", 2).exit_code, 0);
  // The same drops under another data dir: verify recomputes from there.
  fs::copy(data_, elsewhere_ / "moved", fs::copy_options::recursive);
  fs::remove_all(data_);
  const test::ProcessResult r =
      run_in(elsewhere_, {"verify", "--client", "client_1", "--data-dir", "moved", "--db",
                          (work_ / "sales.db").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  expect_has(r.out, "moved/client_1/transactions_day_2.zip");
  // The state's day is gone from the drops: the days that are there are listed.
  fs::remove(elsewhere_ / "moved" / "client_1" / "transactions_day_2.zip");
  const test::ProcessResult gone =
      run_in(elsewhere_, {"verify", "--client", "client_1", "--data-dir", "moved", "--db",
                          (work_ / "sales.db").string()});
  expect_one_line_failure(gone);
  expect_has(gone.err, "expected day 2 in " + (elsewhere_ / "moved" / "client_1").string() +
                           ", found days 1, 4");
}

TEST_F(MissingInput, AMissingDatabaseReadsTheSameInStatusVerifyAndLog) {
  const std::string expected = "nope.db: expected a database, found no such file in " +
                               work_.string() +
                               " (run snapdelta sync (or run) first, or pass --db)\n";
  const test::ProcessResult status = run_in(work_, {"status", "--db", "nope.db"});
  EXPECT_EQ(status.exit_code, 2);
  EXPECT_EQ(status.out, "");
  EXPECT_EQ(status.err, expected);
  const test::ProcessResult json = run_in(work_, {"status", "--json", "--db", "nope.db"});
  EXPECT_EQ(json.err, expected);
  const test::ProcessResult verify =
      run_in(work_, {"verify", "--client", "client_1", "--db", "nope.db"});
  EXPECT_EQ(verify.exit_code, 2);
  EXPECT_EQ(verify.out, "");
  EXPECT_EQ(verify.err, expected);
  const test::ProcessResult log = run_in(work_, {"log", "--db", "nope.db"});
  EXPECT_EQ(log.exit_code, 2);
  EXPECT_EQ(log.out, "");
  EXPECT_EQ(log.err, expected);
  EXPECT_FALSE(fs::exists(work_ / "nope.db")) << "reading commands must not create a database";
}

TEST_F(MissingInput, StatusLooksForDropsInDataOfWhereItRuns) {
  ASSERT_EQ(run("client_1", 2).exit_code, 0);
  const test::ProcessResult r = run_in(work_, {"status", "--db", "sales.db"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::vector<std::string> lines = test::split_lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_TRUE(lines[0].ends_with(", newest drop: day 4, lag 1 (day 4)")) << lines[0];
  EXPECT_EQ(lines[1], "client_2: no state, newest drop: day 2, lag 2 (days 1-2)");
}

TEST_F(MissingInput, StatusWithoutADataDirShowsTheStatesAndSaysWhy) {
  ASSERT_EQ(run("client_1", 2).exit_code, 0);
  const test::ProcessResult r =
      run_in(elsewhere_, {"status", "--db", (work_ / "sales.db").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "data: could not look for drops: expected a data directory at " +
                       (elsewhere_ / "data").string() + ", found none (pass --data-dir)\n");
  ASSERT_EQ(test::split_lines(r.out).size(), 1u) << r.out;
  EXPECT_EQ(r.out.rfind("client_1: day 2, 3 rows, ", 0), 0u) << r.out;
}
