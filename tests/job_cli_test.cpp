// A database serves one job: another job is refused in one line naming the first difference, on
// every command, and --rebuild-job replaces the tables and recomputes every client exactly.
#include <gtest/gtest.h>

#include <string>

#include "store_kind.h"
#include "test_support.h"

namespace snapdelta::test {
namespace {

const char* const kJob = R"toml([source]
pattern = "{client}/usage_{day}.csv"
[columns]
day = "date"
account = "string"
cost = "decimal(3)"
[[table]]
name = "costs"
group_by = ["day", "account"]
[table.measures]
total = "sum(cost)"
n = "count()"
)toml";

class JobCli : public ::testing::TestWithParam<const char*> {
 protected:
  JobCli() : store_(GetParam()) {
    dir_ = store_.dir().path();
    write_file(dir_ + "/job.toml", kJob);
    std::string other = kJob;
    other.replace(other.find("sum(cost)"), 9, "max(cost)");
    other +=
        "\n[[table]]\nname = \"by_account\"\ngroup_by = [\"account\"]\n[table.measures]\n"
        "rows = \"count()\"\n";
    write_file(dir_ + "/other.toml", other);
    std::string text = "day,account,cost\n";
    for (int day = 1; day <= 2; ++day) {
      for (int i = 0; i < 20; ++i) {
        text += "2026-11-0" + std::to_string(day) + ",acct" + std::to_string(i % 3) + "," +
                std::to_string(i) + ".125\n";
      }
      for (const char* client : {"a", "b"}) {
        std::filesystem::create_directories(dir_ + "/data/" + client);
        write_file(dir_ + "/data/" + client + "/usage_" + std::to_string(day) + ".csv", text);
      }
    }
  }
  ProcessResult cli(std::vector<std::string> args) {
    args.insert(args.end(), {"--db", store_.db()});
    return run_snapdelta(args, dir_);
  }
  StoreKind store_;
  std::string dir_;
};

TEST_P(JobCli, AnotherJobIsRefusedEverywhereAndRebuildJobHealsIt) {
  const std::string data = dir_ + "/data";
  ASSERT_EQ(cli({"sync", "--job", dir_ + "/job.toml", "--data-dir", data}).exit_code, 0);
  const std::string line =
      ": the database serves another job: table costs: measure total was sum(cost), is now "
      "max(cost); run with --rebuild-job to replace its tables and recompute every client\n";
  const std::string other = dir_ + "/other.toml";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"sync", "--job", other, "--data-dir", data},
        {"run", "--mode", "incremental", "--client", "a", "--day", "2", "--job", other,
         "--data-dir", data},
        {"status", "--job", other, "--data-dir", data},
        {"verify", "--job", other, "--data-dir", data},
        {"log", "--job", other}}) {
    const ProcessResult r = cli(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
    ASSERT_GE(r.err.size(), line.size()) << args[0] << ": " << r.err;
    EXPECT_EQ(r.err.substr(r.err.size() - line.size()), line) << args[0];
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << args[0] << ": one line: " << r.err;
  }
  const auto before = store_.query("SELECT client_id, total_units FROM costs ORDER BY 1, 2");
  EXPECT_FALSE(before.empty());
  const ProcessResult rebuilt = cli({"sync", "--job", other, "--rebuild-job", "--data-dir", data});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  const ProcessResult v = cli({"verify", "--job", other, "--data-dir", data});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  // Both clients recomputed from day 2: max of cost per (day, account), and the new table.
  EXPECT_EQ(store_.query("SELECT count(*) FROM by_account"),
            (std::vector<std::vector<std::string>>{{"6"}}));
  EXPECT_EQ(store_.query("SELECT \"rows\" FROM by_account WHERE client_id = 'a' AND account = "
                         "'acct0'"),
            (std::vector<std::vector<std::string>>{{"14"}}));
  EXPECT_EQ(store_.query("SELECT total_units FROM costs WHERE client_id = 'b' AND account = "
                         "'acct1' ORDER BY day"),
            (std::vector<std::vector<std::string>>{{"19125"}, {"19125"}}));
  // The old job is now the other one.
  EXPECT_EQ(cli({"status", "--job", dir_ + "/job.toml", "--data-dir", data}).exit_code, 2);
}

// --rebuild-job replaces the old job's tables only with a client that lands: a run or sync whose
// every client fails leaves the old job's database as it was; in a sync where one client fails,
// the others are recomputed under the new job and the failing one is left with no state.
TEST_P(JobCli, AFailedRebuildLeavesTheOldJobsDatabaseAsItWas) {
  const std::string data = dir_ + "/data";
  ASSERT_EQ(cli({"sync", "--job", dir_ + "/job.toml", "--data-dir", data}).exit_code, 0);
  const auto dump = [&] {
    return std::make_pair(
        store_.query("SELECT client_id, day FROM snapdelta_state ORDER BY 1"),
        store_.query("SELECT client_id, day, account, total_units, n FROM costs ORDER BY 1, 2, 3"));
  };
  const auto before = dump();
  std::string bad = kJob;
  bad.replace(bad.find("sum(cost)"), 9, "max(cost)");
  bad.insert(bad.find("[[table]]"), "region = \"string\"\n");
  write_file(dir_ + "/bad.toml", bad);
  const ProcessResult run = cli({"run", "--mode", "incremental", "--client", "a", "--day", "2",
                                 "--job", dir_ + "/bad.toml", "--rebuild-job", "--data-dir", data});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("expected a column \"region\" in the header"), std::string::npos)
      << run.err;
  EXPECT_EQ(dump(), before);
  const ProcessResult sync =
      cli({"sync", "--job", dir_ + "/bad.toml", "--rebuild-job", "--data-dir", data});
  EXPECT_NE(sync.exit_code, 0) << sync.err;
  EXPECT_EQ(dump(), before);
  EXPECT_EQ(cli({"status", "--job", dir_ + "/job.toml", "--data-dir", data}).exit_code, 0)
      << "the old job is still the one served";
  // Client b's newest drop loses the column the new job reads: a lands, b fails alone.
  const std::string other = dir_ + "/other.toml";
  write_file(data + "/b/usage_2.csv", "day,acct,cost\n2026-11-01,acct0,1.125\n");
  const ProcessResult some = cli({"sync", "--job", other, "--rebuild-job", "--data-dir", data});
  EXPECT_NE(some.exit_code, 0) << some.err;
  EXPECT_EQ(store_.query("SELECT client_id, day FROM snapdelta_state ORDER BY 1"),
            (std::vector<std::vector<std::string>>{{"a", "2"}}));
  EXPECT_EQ(store_.query("SELECT DISTINCT client_id FROM costs"),
            (std::vector<std::vector<std::string>>{{"a"}}));
  EXPECT_EQ(cli({"status", "--job", other, "--data-dir", data}).exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, JobCli, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace snapdelta::test
