// Tests for `snapdelta bench --job FILE` (src/bench/bench_plan, bench_runner, builtin_report): a
// job file's runs on quick data are exact, counted over every table of the job (checked against a
// plain recomputation of the drop), and the built-in job runs beside them with its ratios in
// results.md, results.json and the summary; a job whose drops are named by dates is benchmarked
// drop by drop in date order, the built-in job skipped with the reason; peers, --fleet and
// --container refuse a job file in one line; on PostgreSQL the job's tables are compared too
// (SNAPDELTA_TEST_PG; without it the test fails, it never skips).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "pg_test_support.h"
#include "test_support.h"

namespace fs = std::filesystem;
using nlohmann::json;
using snapdelta::test::ProcessResult;
using snapdelta::test::run_snapdelta;
using snapdelta::test::TempDir;

namespace {

// Two tables over the seed's columns: by SKU and by date.
std::string two_table_job(const std::string& pattern) {
  return "[source]\npattern = \"" + pattern +
         "\"\n[columns]\ntransaction_date = \"date\"\nsku_id = \"string\"\n"
         "quantity_sold = \"int\"\nrevenue_usd = \"decimal(2)\"\n"
         "[[table]]\nname = \"by_sku\"\ngroup_by = [\"sku_id\"]\n[table.measures]\n"
         "quantity = \"sum(quantity_sold)\"\nlargest = \"max(revenue_usd)\"\n"
         "[[table]]\nname = \"by_date\"\ngroup_by = [\"transaction_date\"]\n[table.measures]\n"
         "orders = \"count()\"\n";
}

std::string write_job(const TempDir& dir, const std::string& text) {
  const std::string path = dir / "job.toml";
  std::ofstream(path) << text;
  return path;
}

// Quick data of `days` days for client_1 in dir/data (the bench's own generator settings).
std::string quick_data(const TempDir& dir, int days) {
  const std::string data = dir / "data";
  const ProcessResult g = run_snapdelta(
      {"generate", "--data-dir", data, "--clients", "1", "--days", std::to_string(days),
       "--base-rows", "3000", "--rows-per-day", "400", "--skus", "150", "--seed", "7"},
      dir.path());
  EXPECT_EQ(g.exit_code, 0) << g.err;
  return data;
}

// Distinct SKUs plus distinct dates of a drop: the rows of two_table_job's tables.
uint64_t two_table_groups(const std::string& zip) {
  std::set<std::string> skus, dates;
  for (const auto& r : snapdelta::test::reference_of_zip(zip)) {
    skus.insert(r.sku);
    dates.insert(r.date);
  }
  return skus.size() + dates.size();
}

// `snapdelta bench` of client_1 through `day` with `job`, reports in dir/out, then `more`.
ProcessResult bench(const TempDir& dir, const std::string& data, const std::string& job, int day,
                    const std::vector<std::string>& more) {
  std::vector<std::string> args = {"bench", "--data-dir", data,    "--day", std::to_string(day),
                                   "--out", dir / "out",  "--job", job};
  args.insert(args.end(), more.begin(), more.end());
  return run_snapdelta(args, dir.path());
}

json results_of(const TempDir& dir) {
  return json::parse(snapdelta::test::read_file(dir / "out/results.json"));
}

TEST(BenchJob, RunsTheJobExactlyWithTheBuiltinJobBeside) {
  TempDir dir;
  const std::string data = quick_data(dir, 3);
  const std::string job = write_job(dir, two_table_job("{client}/transactions_day_{day}.zip"));
  const ProcessResult r = bench(dir, data, job, 3, {"--repeat", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const json j = results_of(dir);
  EXPECT_TRUE(j["exact"].get<bool>());
  EXPECT_EQ(j["conditions"]["job"]["file"], job);
  EXPECT_EQ(j["conditions"]["job"]["tables"],
            "by_sku by (sku_id): quantity, largest; by_date by (transaction_date): orders");
  EXPECT_EQ(j["conditions"]["groups"].get<uint64_t>(),
            two_table_groups(data + "/client_1/transactions_day_3.zip"));
  EXPECT_EQ(j["exactness"]["groups"], j["conditions"]["groups"]);
  const json& b = j["builtin_beside"];
  ASSERT_TRUE(b["ran"].get<bool>()) << b.dump();
  for (const char* pipeline : {"full", "incremental"}) {
    EXPECT_EQ(b[pipeline]["builtin"]["wall_ms"]["n"], 2) << pipeline;
    const double ratio = b[pipeline]["wall_ratio"].get<double>();
    const double job_ms = b[pipeline]["job"]["wall_ms"]["median"].get<double>();
    const double builtin_ms = b[pipeline]["builtin"]["wall_ms"]["median"].get<double>();
    EXPECT_NEAR(ratio, job_ms / builtin_ms, 0.001) << pipeline;
  }
  const std::string md = snapdelta::test::read_file(dir / "out/results.md");
  EXPECT_NE(md.find("## The job beside the built-in job"), std::string::npos);
  EXPECT_NE(md.find("| Job | `" + job + "`: by_sku by (sku_id)"), std::string::npos);
  EXPECT_NE(r.out.find("job vs built-in job: full "), std::string::npos) << r.out;
}

TEST(BenchJob, DateNamedDropsRunInDateOrderWithoutTheBuiltinJob) {
  TempDir dir;
  const std::string data = quick_data(dir, 3);
  // The same drops named by dates that do not sort like their days would as text.
  const std::vector<std::string> dates = {"20260930", "20261001", "20261102"};
  for (int d = 1; d <= 3; ++d) {
    fs::rename(data + "/client_1/transactions_day_" + std::to_string(d) + ".zip",
               data + "/client_1/sales_" + dates[static_cast<size_t>(d) - 1] + ".zip");
  }
  const std::string job = write_job(dir, two_table_job("{client}/sales_{date:%Y%m%d}.zip"));
  const ProcessResult r = bench(dir, data, job, 3, {"--repeat", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const json j = results_of(dir);
  EXPECT_TRUE(j["exact"].get<bool>());
  EXPECT_EQ(j["conditions"]["file"], data + "/client_1/sales_20261102.zip");
  EXPECT_EQ(j["conditions"]["groups"].get<uint64_t>(),
            two_table_groups(data + "/client_1/sales_20261102.zip"));
  EXPECT_EQ(j["conditions"]["new_rows"], 400);  // the third drop's new rows alone
  EXPECT_FALSE(j["builtin_beside"]["ran"].get<bool>());
  EXPECT_EQ(j["builtin_beside"]["skipped"],
            "the built-in job reads client_1/transactions_day_<K>.zip, and this job's drops are "
            "named by {client}/sales_{date:%Y%m%d}.zip");
}

// --pattern overrides the job file's pattern for the bench and every run it starts; the parts that
// run the seed's generated drops refuse it as they refuse a job file.
TEST(BenchJob, APatternOverridesTheJobsInEveryRun) {
  TempDir dir;
  const std::string data = quick_data(dir, 2);
  for (int d = 1; d <= 2; ++d) {
    fs::rename(data + "/client_1/transactions_day_" + std::to_string(d) + ".zip",
               data + "/client_1/sales_2026100" + std::to_string(d) + ".zip");
  }
  const std::string job = write_job(dir, two_table_job("{client}/transactions_day_{day}.zip"));
  const std::string pattern = "{client}/sales_{date:%Y%m%d}.zip";
  const ProcessResult r = bench(dir, data, job, 2, {"--repeat", "1", "--pattern", pattern});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const json j = results_of(dir);
  EXPECT_TRUE(j["exact"].get<bool>());
  EXPECT_EQ(j["conditions"]["file"], data + "/client_1/sales_20261002.zip");
  const ProcessResult fleet = run_snapdelta(
      {"bench", "--data-dir", data, "--day", "2", "--fleet", "--pattern", pattern}, dir.path());
  EXPECT_EQ(fleet.exit_code, 2);
  EXPECT_EQ(fleet.err,
            "--fleet: expected the built-in job (the fleet syncs generated seed drops), "
            "found --pattern " +
                pattern + " (drop --fleet or --pattern)\n");
}

TEST(BenchJob, TooFewDateNamedDropsIsOneLine) {
  TempDir dir;
  const std::string data = quick_data(dir, 1);
  fs::rename(data + "/client_1/transactions_day_1.zip", data + "/client_1/sales_20260930.zip");
  const std::string job = write_job(dir, two_table_job("{client}/sales_{date:%Y%m%d}.zip"));
  const ProcessResult r = bench(dir, data, job, 2, {});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, fs::weakly_canonical(data + "/client_1").string() +
                       ": expected at least 2 drops matching {client}/sales_{date:%Y%m%d}.zip "
                       "(--day counts a date pattern's drops in date order), found 1\n");
  EXPECT_FALSE(fs::exists(dir / "out/results.json"));
}

TEST(BenchJob, SeedOnlyPartsRefuseAJobFile) {
  TempDir dir;
  const std::string data = quick_data(dir, 2);
  const std::string job = write_job(dir, two_table_job("{client}/transactions_day_{day}.zip"));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--peers", "the peers compute the seed's processed_sales"},
      {"--fleet", "the fleet syncs generated seed drops"},
      {"--container=gzip", "the containers hold generated seed drops"}};
  for (const auto& [flag, why] : cases) {
    const ProcessResult r = bench(dir, data, job, 2, {flag});
    const std::string option = flag.substr(0, flag.find('='));
    EXPECT_EQ(r.exit_code, 2) << flag;
    EXPECT_EQ(r.err, option + ": expected the built-in job (" + why + "), found the job file " +
                         job + " (drop " + option + " or the job file)\n");
  }
}

TEST(BenchJob, PostgresComparesEveryTableOfTheJob) {
  const std::string server = snapdelta::test::test_pg_server();  // throws (fails) without one
  TempDir dir;
  const std::string data = quick_data(dir, 2);
  const std::string job = write_job(dir, two_table_job("{client}/transactions_day_{day}.zip"));
  const ProcessResult r = bench(dir, data, job, 2, {"--repeat", "1", "--db", server});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const json j = results_of(dir);
  EXPECT_TRUE(j["exact"].get<bool>());
  EXPECT_EQ(j["conditions"]["groups"].get<uint64_t>(),
            two_table_groups(data + "/client_1/transactions_day_2.zip"));
  EXPECT_TRUE(j["builtin_beside"]["ran"].get<bool>());
}

}  // namespace
