// End to end on PostgreSQL, through the binary with --db postgresql://... (a fresh database on the
// test server): random histories day by day (skipped days, reruns, late rows, full runs in
// between) where after every step the incremental rows equal a full run's and a plain
// recomputation's (read through Store::table_rows and through libpq); a restated history is
// rebuilt; bad input exits 2 and writes nothing (not even the schema); `init`, `status` and
// `verify` work on a server store.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "generate/generator.h"
#include "store/open_store.h"
#include "store_kind.h"
#include "test_support.h"

using namespace snapdelta;
using test::RefRow;
using json = nlohmann::json;
using Cells = std::vector<std::vector<std::string>>;

namespace {

class PgE2e : public ::testing::Test {
 protected:
  void generate(uint64_t seed, int clients, int days, int base, int per_day, double late) {
    generate::Options o;
    o.data_dir = dir_ / "data";
    o.clients = clients;
    o.days = days;
    o.base_rows = base;
    o.rows_per_day = per_day;
    o.skus = 150;
    o.seed = seed;
    o.late_fraction = late;
    o.threads = 1;
    generate::run(o);
    data_ = o.data_dir;
  }

  test::ProcessResult cli(const std::vector<std::string>& args) {
    return test::run_snapdelta(args, dir_.str());
  }

  // Runs one day through the binary into `db`; returns its JSON summary.
  json run(const std::string& db, const std::string& mode, const std::string& client, int day) {
    const auto r = cli({"run", "--mode", mode, "--client", client, "--day", std::to_string(day),
                        "--data-dir", data_, "--db", db, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    return json::parse(r.exit_code == 0 ? r.out : "{}");
  }

  std::string zip(const std::string& client, int day) const {
    return test::day_path(data_, client, day);
  }

  test::TempDir dir_{"pg_e2e"};
  test::StoreKind inc_{"postgres"};
  test::StoreKind full_{"postgres"};
  std::string data_;
};

}  // namespace

TEST_F(PgE2e, RandomHistoriesIncrementalEqualsFullEqualsRecomputation) {
  std::map<std::string, int> paths;
  std::mt19937_64 rng(20251001);
  generate(rng(), 2, 7, 5000, 800, 0.4);
  const auto inc = open_store(StoreOptions{inc_.db()});
  std::vector<int> at(3, 0);
  size_t logged = 0;  // applied runs
  for (int step = 0; step < 14; ++step) {
    const int c = 1 + static_cast<int>(rng() % 2);
    const std::string client = "client_" + std::to_string(c);
    const int j = at[static_cast<size_t>(c)];
    if (j == 7) continue;
    const uint64_t r = rng() % 10;
    int k = r < 3 ? std::min(7, j + 2) : j + 1;  // sometimes days are skipped
    if (j > 0 && r == 3) k = j;                  // sometimes a rerun
    if (j > 0 && r == 4) {
      run(inc_.db(), "full", client, j);
      ++logged;
    }
    SCOPED_TRACE(client + " from day " + std::to_string(j) + " to day " + std::to_string(k));
    const json rep = run(inc_.db(), "incremental", client, k);
    paths[rep.value("path", "?")]++;
    if (rep.value("path", "") != "noop") ++logged;
    if (k == j) {
      EXPECT_EQ(rep.value("path", ""), "noop");
    }
    at[static_cast<size_t>(c)] = k;
    run(full_.db(), "full", client, k);
    const std::vector<RefRow> expected = test::reference_of_zip(zip(client, k));
    ASSERT_EQ(full_.rows(client), expected) << "full differs from the recomputation";
    ASSERT_EQ(inc_.rows(client), expected) << "incremental differs (" << rep.dump() << ")";
    ASSERT_EQ(test::store_rows(*inc, client), expected);
    EXPECT_EQ(inc->load_state(client)->groups, expected.size());
    EXPECT_EQ(inc->load_state(client)->day, k);
  }
  EXPECT_GT(paths["first-run"], 0);
  EXPECT_GT(paths["checkpoint"], 0);
  EXPECT_EQ(paths["rebuilt"], 0);
  // Every applied run is logged, no-ops are not.
  EXPECT_EQ(inc->runs("").size(), logged);
}

TEST_F(PgE2e, RestatedHistoryIsRebuiltAndExact) {
  generate(7, 1, 2, 400, 100, 0.2);
  run(inc_.db(), "incremental", "client_1", 1);
  // Day 2 restates a value of day 1's rows (line 5), keeping the new rows.
  std::string text = test::read_zip_member(zip("client_1", 2)).text;
  auto lines = test::split_lines(text);
  auto fields = test::split_csv_line(lines[4]);
  fields[3] = std::to_string(std::stoll(fields[3]) + 7);
  lines[4] = fields[0] + "," + fields[1] + "," + fields[2] + "," + fields[3] + "," + fields[4];
  std::string restated;
  for (const auto& l : lines) restated += l + "\n";
  test::write_zip_text(zip("client_1", 2), restated);
  const json rep = run(inc_.db(), "incremental", "client_1", 2);
  EXPECT_EQ(rep.value("path", ""), "rebuilt");
  EXPECT_EQ(rep.value("rebuilt", ""), "history changed at line 5");
  EXPECT_EQ(inc_.rows("client_1"), test::reference_rows(restated));
  EXPECT_EQ(run(inc_.db(), "incremental", "client_1", 2).value("path", ""), "noop");
}

TEST_F(PgE2e, BadInputExitsTwoAndWritesNothing) {
  generate(11, 1, 2, 300, 50, 0);
  const std::string good = test::read_zip_member(zip("client_1", 1)).text;
  test::write_zip_text(zip("client_1", 1), good + "X1,2025-10-01,SKU_1,7x,1.00\n");
  const auto r = cli({"run", "--mode", "incremental", "--client", "client_1", "--day", "1",
                      "--data-dir", data_, "--db", inc_.db()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(test::split_lines(r.err).size(), 1u) << r.err;
  EXPECT_EQ(r.err.rfind(zip("client_1", 1) + ":", 0), 0u) << r.err;
  EXPECT_EQ(r.out, "");
  // The schema a first write would create went with the rolled-back transaction.
  EXPECT_EQ(inc_.query("SELECT to_regclass('processed_sales') IS NULL, "
                       "to_regclass('snapdelta_state') IS NULL"),
            (Cells{{"t", "t"}}));
  // With a state in place, a bad next day changes nothing either.
  test::write_zip_text(zip("client_1", 1), good);
  run(inc_.db(), "incremental", "client_1", 1);
  const auto before = inc_.rows("client_1");
  const std::string day2 = test::read_zip_member(zip("client_1", 2)).text;
  test::write_zip_text(zip("client_1", 2), day2 + "X2,2025-13-01,SKU_1,1,1.00\n");
  const auto bad = cli({"run", "--mode", "incremental", "--client", "client_1", "--day", "2",
                        "--data-dir", data_, "--db", inc_.db()});
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  EXPECT_EQ(inc_.rows("client_1"), before);
  EXPECT_EQ(inc_.query("SELECT day FROM snapdelta_state"), (Cells{{"1"}}));
  EXPECT_EQ(inc_.query("SELECT count(*) FROM snapdelta_runs"), (Cells{{"1"}}));
}

TEST_F(PgE2e, InitStatusAndVerifyOnAServerStore) {
  generate(5, 2, 3, 5000, 800, 0.1);
  const auto init = cli({"init", "--db", inc_.db()});
  EXPECT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(init.out.find("schema ready"), std::string::npos) << init.out;
  EXPECT_EQ(inc_.query("SELECT value FROM snapdelta_meta WHERE key = 'schema_version'"),
            (Cells{{"4"}}));
  const auto empty = cli({"status", "--db", inc_.db()});
  EXPECT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_NE(empty.out.find("no client state"), std::string::npos) << empty.out;

  run(inc_.db(), "incremental", "client_1", 1);
  run(inc_.db(), "incremental", "client_1", 3);
  run(inc_.db(), "full", "client_2", 2);
  const auto status = cli({"status", "--db", inc_.db(), "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  const json s = json::parse(status.out);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0]["client"], "client_1");
  EXPECT_EQ(s[0]["day"], 3);
  EXPECT_EQ(s[0]["mode"], "incremental");
  EXPECT_GT(s[0]["checkpoints"].get<int>(), 0);
  EXPECT_EQ(s[1]["client"], "client_2");
  EXPECT_EQ(s[1]["mode"], "full");

  auto verify = [&](const std::string& client) {
    return cli({"verify", "--client", client, "--data-dir", data_, "--db", inc_.db()});
  };
  EXPECT_EQ(verify("client_1").exit_code, 0) << verify("client_1").out;
  EXPECT_EQ(verify("client_2").exit_code, 0);
  inc_.exec(
      "UPDATE processed_sales SET total_revenue_cents = total_revenue_cents + 1 "
      "WHERE client_id = 'client_1' AND sku_id = (SELECT min(sku_id) FROM processed_sales)");
  const auto bad = verify("client_1");
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("DIFFERENT"), std::string::npos) << bad.out;
}
