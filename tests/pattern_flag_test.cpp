// --pattern: every command that takes --job takes it (the same shared option), and it changes the
// job itself, so the database stores the pattern in effect and compares the job it is run with
// against that one, never against the job file's own pattern.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"

namespace snapdelta::test {
namespace {

const std::string kCsvPattern = "{client}/transactions_day_{day}.csv";

// The built-in job written out with another [source] pattern.
std::string builtin_job_text(const std::string& pattern) {
  return "[source]\npattern = \"" + pattern +
         "\"\n[columns]\ntransaction_date = \"date\"\nsku_id = \"string\"\nquantity_sold = "
         "\"int\"\nrevenue_usd = \"decimal(2)\"\n[[table]]\nname = \"processed_sales\"\ngroup_by "
         "= [\"transaction_date\", \"sku_id\"]\n[table.measures]\ntotal_quantity = "
         "\"sum(quantity_sold)\"\ntotal_revenue = \"sum(revenue_usd)\"\norder_count = "
         "\"count()\"\n";
}

class PatternFlag : public ::testing::Test {
 protected:
  PatternFlag() {
    std::filesystem::create_directories(data_ + "/client_1");
    std::string csv = "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";
    for (int day = 1; day <= 2; ++day) {
      csv += "T" + std::to_string(day) + ",2025-10-0" + std::to_string(day) + ",SKU_1,2,1.50\n";
      write_file(data_ + "/client_1/transactions_day_" + std::to_string(day) + ".csv", csv);
    }
  }
  ProcessResult cli(std::vector<std::string> args) {
    args.insert(args.end(), {"--db", db_});
    return run_snapdelta(args, dir_.str(), dir_.str());
  }
  std::string job_file(const std::string& name, const std::string& pattern) {
    write_file(dir_ / name, builtin_job_text(pattern));
    return dir_ / name;
  }

  TempDir dir_{"pattern_flag"};
  std::string data_ = dir_ / "data";
  std::string db_ = dir_ / "p.db";
};

TEST_F(PatternFlag, EveryCommandThatTakesAJobTakesAPattern) {
  for (const char* command : {"run", "sync", "status", "log", "verify", "init"}) {
    const ProcessResult help = run_snapdelta({command, "--help"}, dir_.str());
    EXPECT_NE(help.out.find("--job"), std::string::npos) << command;
    EXPECT_NE(help.out.find("--pattern"), std::string::npos) << command << ": " << help.out;
  }
  const std::vector<std::string> pattern = {"--pattern", kCsvPattern};
  const auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), pattern.begin(), pattern.end());
    return cli(args);
  };
  ASSERT_EQ(with({"init"}).exit_code, 0);
  const ProcessResult run = with(
      {"run", "--mode", "incremental", "--client", "client_1", "--day", "1", "--data-dir", data_});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const ProcessResult sync = with({"sync", "--data-dir", data_});
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  EXPECT_EQ(with({"status", "--data-dir", data_}).exit_code, 0);
  const ProcessResult log = with({"log"});
  EXPECT_EQ(log.exit_code, 0) << log.err;
  EXPECT_EQ(split_lines(log.out).size(), 3u) << log.out;  // the header and two runs
  const ProcessResult verify = with({"verify", "--data-dir", data_});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_EQ(verify.out, "verify client_1: identical (2 groups, recomputed from " + data_ +
                            "/client_1/transactions_day_2.csv)\n");
  EXPECT_EQ(verify.err, "");
}

TEST_F(PatternFlag, ABadPatternIsOneLine) {
  const ProcessResult r = cli({"verify", "--data-dir", data_, "--pattern", "{client}/x.csv"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "--pattern: expected a pattern with {client} once and {day} or {date:FORMAT} once, "
            "found \"{client}/x.csv\"\n");
}

// sync --pattern P makes a database of the built-in job with pattern P: a job file saying P is
// that job; a job file saying another pattern is that job again once --pattern P overrides it.
TEST_F(PatternFlag, TheDatabaseServesTheJobWithThePatternInEffect) {
  ASSERT_EQ(cli({"sync", "--data-dir", data_, "--pattern", kCsvPattern}).exit_code, 0);
  const std::string same = job_file("same.toml", kCsvPattern);
  const ProcessResult by_file = cli({"sync", "--data-dir", data_, "--job", same});
  EXPECT_EQ(by_file.exit_code, 0) << by_file.err;
  EXPECT_EQ(by_file.err, "");

  const std::string other = job_file("other.toml", "{client}/sales_{day}.csv.gz");
  const ProcessResult refused = cli({"status", "--data-dir", data_, "--job", other});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.err, db_ +
                             ": the database serves another job: source pattern was "
                             "\"{client}/transactions_day_{day}.csv\", is now "
                             "\"{client}/sales_{day}.csv.gz\"; run with --rebuild-job to replace "
                             "its tables and recompute every client\n");
  const ProcessResult overridden =
      cli({"verify", "--data-dir", data_, "--job", other, "--pattern", kCsvPattern});
  EXPECT_EQ(overridden.exit_code, 0) << overridden.err;
  EXPECT_EQ(overridden.err, "");
}

// The container follows the pattern's extension: a database made by the built-in (zip) job with
// a .csv pattern serves the csv container, and the job file saying .zip is another job.
TEST_F(PatternFlag, TheContainerFollowsThePattern) {
  ASSERT_EQ(cli({"sync", "--data-dir", data_, "--pattern", kCsvPattern}).exit_code, 0);
  const std::string zip = job_file("zip.toml", "{client}/transactions_day_{day}.zip");
  const ProcessResult r =
      cli({"status", "--data-dir", data_, "--job", zip, "--pattern", kCsvPattern});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const ProcessResult plain = cli({"status", "--data-dir", data_});
  EXPECT_EQ(plain.exit_code, 2);
  EXPECT_EQ(plain.err, db_ +
                           ": the database serves another job: source pattern was "
                           "\"{client}/transactions_day_{day}.csv\", is now "
                           "\"{client}/transactions_day_{day}.zip\"; run with --rebuild-job to "
                           "replace its tables and recompute every client\n");
}

}  // namespace
}  // namespace snapdelta::test
