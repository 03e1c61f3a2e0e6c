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

// The kJob with its first `from` replaced by `to`.
std::string job_with(const std::string& from, const std::string& to) {
  std::string text = kJob;
  return text.replace(text.find(from), from.size(), to);
}

// A job whose tables would clash in SQL with the tool's or the store's own tables, or with
// each other, or store a column name twice, is refused in one line before the database is
// opened: no SQLite file, no PostgreSQL table.
TEST_P(JobCli, ClashingNamesAreRefusedBeforeAnythingIsWritten) {
  const std::string bad = dir_ + "/bad.toml";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {job_with("\"costs\"", "\"snapdelta_state\""),
       ":8:8: expected a name that does not start with snapdelta_, sqlite_ or pg_ (the tool's "
       "and the stores' own tables) for table.name, found \"snapdelta_state\""},
      {job_with("\"costs\"", "\"sqlite_master\""),
       ":8:8: expected a name that does not start with snapdelta_, sqlite_ or pg_ (the tool's "
       "and the stores' own tables) for table.name, found \"sqlite_master\""},
      {std::string(kJob) + "[[table]]\nname = \"COSTS\"\n[table.measures]\nrows = \"count()\"\n",
       ":14:8: expected a name not used by another [[table]] (in any letter case) for "
       "table.name, found \"COSTS\" (beside \"costs\")"},
      {job_with("\nn = ", "\nACCOUNT = "),
       ":12:1: expected a column name not used twice in table costs for table.measures.ACCOUNT, "
       "found \"ACCOUNT\" (stored beside \"account\" of table.group_by)"},
      {job_with("\nn = ", "\ntotal_units = "),
       ":12:1: expected a column name not used twice in table costs for "
       "table.measures.total_units, found \"total_units\" (stored beside \"total_units\" of "
       "table.measures.total)"},
  };
  for (const auto& [job, message] : cases) {
    write_file(bad, job);
    const ProcessResult r = cli({"sync", "--job", bad, "--data-dir", dir_ + "/data"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err, bad + message + "\n");
  }
  if (store_.postgres()) {
    EXPECT_EQ(store_.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                           "current_schema()"),
              (std::vector<std::vector<std::string>>{{"0"}}));
  } else {
    EXPECT_FALSE(std::filesystem::exists(store_.db()));
  }
}

// No group_by: one row per client, its totals, the same whether reached day by day or at once.
TEST_P(JobCli, TableWithoutGroupByIsOneRowPerClient) {
  const std::string job = dir_ + "/totals.toml";
  write_file(job, job_with("group_by = [\"day\", \"account\"]\n", "") +
                      "first = \"min(day)\"\nlast = \"max(day)\"\n");
  const std::string data = dir_ + "/data";
  ASSERT_EQ(cli({"sync", "--job", job, "--data-dir", data, "--through-day", "1"}).exit_code, 0);
  const std::string sql = "SELECT client_id, total_units, n, first, last FROM costs ORDER BY 1";
  EXPECT_EQ(store_.query(sql), (std::vector<std::vector<std::string>>{
                                   {"a", "192500", "20", "2026-11-01", "2026-11-01"},
                                   {"b", "192500", "20", "2026-11-01", "2026-11-01"}}));
  const ProcessResult next = cli({"sync", "--job", job, "--data-dir", data});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  const std::vector<std::vector<std::string>> incremental = store_.query(sql);
  EXPECT_EQ(incremental, (std::vector<std::vector<std::string>>{
                             {"a", "385000", "40", "2026-11-01", "2026-11-02"},
                             {"b", "385000", "40", "2026-11-01", "2026-11-02"}}));
  const ProcessResult v = cli({"verify", "--job", job, "--data-dir", data});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  for (const char* client : {"a", "b"}) {
    const ProcessResult full = cli({"run", "--mode", "full", "--client", client, "--day", "2",
                                    "--job", job, "--data-dir", data});
    ASSERT_EQ(full.exit_code, 0) << full.err;
  }
  EXPECT_EQ(store_.query(sql), incremental);
}

// With header = true the order of [columns] decides nothing: a database made with one order
// serves the job written in another, and the first again after it.
TEST_P(JobCli, ReorderedColumnsWithAHeaderServeTheSameDatabase) {
  const std::string data = dir_ + "/data";
  const std::string reordered = dir_ + "/reordered.toml";
  write_file(reordered, job_with("day = \"date\"\naccount = \"string\"\ncost = \"decimal(3)\"\n",
                                 "cost = \"decimal(3)\"\naccount = \"string\"\nday = \"date\"\n"));
  ASSERT_EQ(cli({"sync", "--job", dir_ + "/job.toml", "--data-dir", data, "--through-day", "1"})
                .exit_code,
            0);
  const ProcessResult next = cli({"sync", "--job", reordered, "--data-dir", data});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  const ProcessResult v = cli({"verify", "--job", reordered, "--data-dir", data});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  const ProcessResult back = cli({"verify", "--job", dir_ + "/job.toml", "--data-dir", data});
  EXPECT_EQ(back.exit_code, 0) << back.out << back.err;
}

INSTANTIATE_TEST_SUITE_P(Stores, JobCli, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace snapdelta::test
