// End-to-end exactness: many small random generated histories (random sizes including empty
// days, several clients in one database, late rows, skipped days, reruns, full runs in between),
// and after EVERY step the incremental database's rows for the client equal, row for row, a full
// run of the same day into another database AND a plain recomputation written here (minizip
// unzip, split lines, int64 cents). Also the CLI contract through the real binary (summary JSON,
// exit codes, status, verify catching a tampered row), going back a day, a first incremental run
// with no database, and full-then-incremental continuing from the full run's checkpoints.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "generate/generator.h"
#include "pipeline/verify.h"
#include "store/sqlite_store.h"
#include "test_support.h"

using namespace snapdelta;
using test::RefRow;
using test::TempDir;
using json = nlohmann::json;

namespace {

struct Stats {
  std::map<std::string, int> paths;
  int steps = 0;
};

std::string client_name(int c) { return "client_" + std::to_string(c); }

uint64_t rows_in(const std::vector<RefRow>& rows) {
  uint64_t n = 0;
  for (const auto& r : rows) n += static_cast<uint64_t>(r.count);
  return n;
}

// One random history: generate it, then walk every client through its days in random order.
void walk_history(uint64_t seed, Stats& stats) {
  std::mt19937_64 rng(seed);
  TempDir dir("e2e");
  generate::Options o;
  o.data_dir = dir / "data";
  o.clients = 1 + static_cast<int64_t>(rng() % 3);
  o.days = 4 + static_cast<int64_t>(rng() % 5);
  o.base_rows = rng() % 5 == 0 ? 0 : static_cast<int64_t>(rng() % 1500);
  o.rows_per_day = rng() % 6 == 0 ? 0 : static_cast<int64_t>(rng() % 700);
  o.skus = 1 + static_cast<int64_t>(rng() % 300);
  o.seed = rng();
  o.late_fraction = rng() % 4 == 0 ? 0.0 : static_cast<double>(rng() % 1001) / 1000.0;
  const char* starts[] = {"2024-02-26", "2025-12-30", "2025-10-01", "1999-12-30"};
  o.start_date = starts[rng() % 4];
  o.threads = 1;
  generate::run(o);
  SCOPED_TRACE("history seed " + std::to_string(seed) + ": clients " + std::to_string(o.clients) +
               ", days " + std::to_string(o.days) + ", base " + std::to_string(o.base_rows) +
               ", per day " + std::to_string(o.rows_per_day) + ", skus " + std::to_string(o.skus) +
               ", late " + std::to_string(o.late_fraction));

  const std::string data = o.data_dir;
  const std::string inc_db = dir / "inc.db";
  const std::string full_db = dir / "full.db";
  const int clients = static_cast<int>(o.clients);
  const int days = static_cast<int>(o.days);
  std::vector<int> at(static_cast<size_t>(clients) + 1, 0);  // day the incremental state is at
  std::vector<std::vector<RefRow>> reference(static_cast<size_t>(days) + 1);

  for (int guard = 0; guard < 200; ++guard) {
    std::vector<int> open;
    for (int c = 1; c <= clients; ++c) {
      if (at[static_cast<size_t>(c)] < days) open.push_back(c);
    }
    if (open.empty()) break;
    const int c = open[rng() % open.size()];
    const std::string client = client_name(c);
    const int j = at[static_cast<size_t>(c)];
    // Next day: usually J+1, sometimes a skip of 1-2 days, sometimes a rerun of J.
    int k = j + 1;
    const uint64_t r = rng() % 10;
    if (r < 2) k = std::min(days, j + 2 + static_cast<int>(rng() % 2));
    const bool rerun = j > 0 && r == 2;
    if (rerun) k = j;
    const bool full_first =
        j > 0 && !rerun && r == 3;  // a full run of J into the incremental db first
    SCOPED_TRACE(client + " from day " + std::to_string(j) + " to day " + std::to_string(k));

    // Other clients' rows must not move.
    std::map<int, std::vector<RefRow>> others;
    for (int other = 1; other <= clients; ++other) {
      if (other != c && std::filesystem::exists(inc_db))
        others[other] = test::db_rows(inc_db, client_name(other));
    }
    const std::string zip = test::day_path(data, client, k);
    const std::vector<RefRow> expected = test::reference_of_zip(zip);

    if (full_first) {
      const RunReport f =
          test::run_day("full", client, j, data, inc_db, 1 + static_cast<int>(rng() % 2));
      EXPECT_EQ(to_string(f.path), "full");
    }
    const std::vector<RefRow> before =
        std::filesystem::exists(inc_db) ? test::db_rows(inc_db, client) : std::vector<RefRow>{};
    const RunReport rep =
        test::run_day("incremental", client, k, data, inc_db, 1 + static_cast<int>(rng() % 2));
    ++stats.steps;
    ++stats.paths[std::string(to_string(rep.path))];
    EXPECT_EQ(to_string(rep.mode), "incremental");
    EXPECT_EQ(rep.client, client);
    EXPECT_EQ(rep.day, k);
    EXPECT_EQ(rep.file, zip);
    EXPECT_TRUE(rep.rebuilt.empty()) << rep.rebuilt;
    EXPECT_EQ(rep.rows_in_file, rows_in(expected));
    if (j == 0) {
      EXPECT_EQ(to_string(rep.path), "first-run");
      EXPECT_EQ(rep.rows_processed, rows_in(expected));
    } else if (rerun) {
      EXPECT_EQ(to_string(rep.path), "noop");
      EXPECT_EQ(rep.rows_processed, 0u);
      EXPECT_EQ(test::db_rows(inc_db, client), before) << "a rerun changed the table";
    } else {
      EXPECT_TRUE(to_string(rep.path) == "checkpoint" || to_string(rep.path) == "inflate-all")
          << to_string(rep.path);
      // Only the new rows were parsed.
      const std::vector<RefRow> old_rows = test::reference_of_zip(test::day_path(data, client, j));
      EXPECT_EQ(rep.rows_processed, rows_in(expected) - rows_in(old_rows));
    }
    at[static_cast<size_t>(c)] = k;

    const RunReport full =
        test::run_day("full", client, k, data, full_db, 1 + static_cast<int>(rng() % 2));
    EXPECT_EQ(to_string(full.path), "full");
    EXPECT_EQ(full.rows_in_file, rows_in(expected));
    const std::vector<RefRow> inc_rows = test::db_rows(inc_db, client);
    const std::vector<RefRow> full_rows = test::db_rows(full_db, client);
    ASSERT_EQ(full_rows, expected) << "full run differs from the plain recomputation";
    ASSERT_EQ(inc_rows, full_rows)
        << "incremental differs from full (path " << to_string(rep.path) << ")";
    {
      SqliteStore store(inc_db, StoreOpen::existing);
      const std::optional<ClientState> st = store.load_state(client);
      ASSERT_TRUE(st.has_value());
      EXPECT_EQ(st->groups, inc_rows.size())
          << "the state's group count is off (path " << to_string(rep.path) << ")";
    }
    for (const auto& [other, rows] : others) {
      ASSERT_EQ(test::db_rows(inc_db, client_name(other)), rows)
          << "client " << other << " was touched";
    }
  }
  // verify agrees, for every client, at the end of the walk.
  for (int c = 1; c <= clients; ++c) {
    VerifyRequest request;
    request.client = client_name(c);
    request.data_dir = data;
    request.db = inc_db;
    const VerifyResult v = verify_client(request);
    EXPECT_TRUE(v.identical) << (v.differences.empty() ? "" : v.differences[0]);
    EXPECT_EQ(v.file, test::day_path(data, client_name(c), days));
    EXPECT_EQ(v.groups, test::db_rows(inc_db, client_name(c)).size());
  }
}

}  // namespace

TEST(E2eExactness, RandomHistoriesIncrementalEqualsFullEqualsRecomputationAfterEveryStep) {
  Stats stats;
  constexpr uint64_t kHistories = 20;
  for (uint64_t h = 1; h <= kHistories; ++h) {
    walk_history(h * 7919, stats);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(stats.steps, 80);
  // The walks really took each path.
  EXPECT_GT(stats.paths["first-run"], 0);
  EXPECT_GT(stats.paths["noop"], 0);
  EXPECT_GT(stats.paths["checkpoint"], 0);
  EXPECT_EQ(stats.paths["rebuilt"], 0);
  std::string seen;
  for (const auto& [path, n] : stats.paths) seen += path + "=" + std::to_string(n) + " ";
  RecordProperty("paths", seen);
}

namespace {

// A small generated data set shared by the targeted end-to-end tests below.
class E2e : public ::testing::Test {
 protected:
  void SetUp() override {
    generate::Options o;
    o.data_dir = dir_ / "data";
    o.clients = 2;
    o.days = 4;
    o.base_rows = 5000;
    o.rows_per_day = 800;
    o.skus = 120;
    o.seed = 99;
    o.late_fraction = 0.3;
    o.threads = 1;
    generate::run(o);
    data_ = o.data_dir;
    db_ = dir_ / "db.sqlite";
  }

  test::ProcessResult cli(const std::vector<std::string>& args) {
    return test::run_snapdelta(args, dir_.str());
  }

  test::ProcessResult run_cli(const std::string& mode, const std::string& client, int day,
                              bool json_out = true) {
    std::vector<std::string> args = {
        "run",        "--mode", mode,   "--client", client, "--day", std::to_string(day),
        "--data-dir", data_,    "--db", db_};
    if (json_out) args.push_back("--json");
    return cli(args);
  }

  TempDir dir_{"e2e"};
  std::string data_;
  std::string db_;
};

json parse_summary(const test::ProcessResult& r) {
  EXPECT_EQ(r.err, "");
  const auto lines = test::split_lines(r.out);
  EXPECT_EQ(lines.size(), 1u) << r.out;
  return json::parse(lines.empty() ? "{}" : lines[0]);
}

}  // namespace

TEST_F(E2e, CliRunSummaryJsonAndPathsThroughTheBinary) {
  const std::vector<std::string> keys = {
      "mode",           "client",   "day",  "file",    "rows_in_file", "rows_processed",
      "groups_written", "total_ms", "path", "rebuilt", "phases_ms"};
  auto check = [&](const test::ProcessResult& r, const std::string& mode, int day,
                   const std::string& path) {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const json j = parse_summary(r);
    for (const auto& k : keys) EXPECT_TRUE(j.contains(k)) << "missing key " << k << " in " << r.out;
    EXPECT_EQ(j.value("mode", ""), mode);
    EXPECT_EQ(j.value("client", ""), "client_1");
    EXPECT_EQ(j.value("day", 0), day);
    EXPECT_EQ(j.value("file", ""), test::day_path(data_, "client_1", day));
    EXPECT_EQ(j.value("path", ""), path);
    EXPECT_TRUE(j["rebuilt"].is_null());
    EXPECT_TRUE(j["phases_ms"].is_object());
    EXPECT_TRUE(j["total_ms"].is_number());
    EXPECT_EQ(j["rows_in_file"].get<uint64_t>(),
              rows_in(test::reference_of_zip(test::day_path(data_, "client_1", day))));
    return j;
  };
  ASSERT_FALSE(std::filesystem::exists(db_));
  const json first = check(run_cli("incremental", "client_1", 1), "incremental", 1, "first-run");
  EXPECT_EQ(first["rows_processed"].get<uint64_t>(), 5000u);
  EXPECT_TRUE(std::filesystem::exists(db_));
  const json second = check(run_cli("incremental", "client_1", 2), "incremental", 2, "checkpoint");
  EXPECT_EQ(second["rows_processed"].get<uint64_t>(), 800u);
  EXPECT_EQ(second["rows_in_file"].get<uint64_t>(), 5800u);
  const json again = check(run_cli("incremental", "client_1", 2), "incremental", 2, "noop");
  EXPECT_EQ(again["rows_processed"].get<uint64_t>(), 0u);
  check(run_cli("full", "client_1", 3), "full", 3, "full");
  check(run_cli("incremental", "client_1", 4), "incremental", 4, "checkpoint");
  EXPECT_EQ(test::db_rows(db_, "client_1"),
            test::reference_of_zip(test::day_path(data_, "client_1", 4)));

  // Without --json: one human line on stdout naming the path.
  const auto plain = run_cli("incremental", "client_2", 1, false);
  EXPECT_EQ(plain.exit_code, 0);
  EXPECT_EQ(plain.err, "");
  EXPECT_EQ(test::split_lines(plain.out).size(), 1u);
  EXPECT_NE(plain.out.find("first-run"), std::string::npos) << plain.out;

  // status --json lists both clients with their day.
  const auto status = cli({"status", "--db", db_, "--json"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  const json s = json::parse(status.out);
  ASSERT_TRUE(s.is_array());
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0]["client"], "client_1");
  EXPECT_EQ(s[0]["day"], 4);
  EXPECT_EQ(s[0]["mode"], "incremental");
  EXPECT_EQ(s[0]["rows"], 5000 + 3 * 800);
  EXPECT_EQ(s[1]["client"], "client_2");
  EXPECT_EQ(s[1]["day"], 1);
}

TEST_F(E2e, VerifyExitsZeroWhenIdenticalAndOneAfterTampering) {
  ASSERT_EQ(run_cli("incremental", "client_1", 1).exit_code, 0);
  ASSERT_EQ(run_cli("incremental", "client_1", 3).exit_code, 0);
  ASSERT_EQ(run_cli("incremental", "client_2", 2).exit_code, 0);
  auto verify = [&](const std::string& client) {
    return cli({"verify", "--client", client, "--data-dir", data_, "--db", db_});
  };
  const auto ok = verify("client_1");
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("identical"), std::string::npos) << ok.out;

  const char* tampers[] = {
      // one cent more on one row
      "UPDATE processed_sales SET total_revenue_cents = total_revenue_cents + 1 WHERE "
      "client_id='client_1' AND "
      "(transaction_date, sku_id) = (SELECT transaction_date, sku_id FROM processed_sales WHERE "
      "client_id='client_1' ORDER BY transaction_date DESC, sku_id LIMIT 1)",
      // a missing row
      "DELETE FROM processed_sales WHERE client_id='client_1' AND (transaction_date, sku_id) = "
      "(SELECT "
      "transaction_date, sku_id FROM processed_sales WHERE client_id='client_1' ORDER BY sku_id "
      "LIMIT 1)",
      // an extra row
      "INSERT INTO processed_sales(client_id, transaction_date, sku_id, total_quantity, "
      "total_revenue_cents, "
      "order_count) VALUES ('client_1', '2031-01-01', 'SKU_NEW', 1, 100, 1)",
      // one order more
      "UPDATE processed_sales SET order_count = order_count + 1 WHERE client_id='client_1' AND "
      "sku_id = (SELECT "
      "max(sku_id) FROM processed_sales WHERE client_id='client_1')",
  };
  const std::string pristine = test::read_file(db_);
  for (const char* sql : tampers) {
    test::write_file(db_, pristine);
    std::filesystem::remove(db_ + "-wal");
    std::filesystem::remove(db_ + "-shm");
    {
      test::Sqlite raw(db_, true);
      raw.exec(sql);
      ASSERT_GT(sqlite3_changes(raw.handle()), 0) << sql;
    }
    const auto bad = verify("client_1");
    EXPECT_EQ(bad.exit_code, 1) << sql << "\n" << bad.out << bad.err;
    EXPECT_NE(bad.out.find("DIFFERENT"), std::string::npos) << bad.out;
    // The other client is still identical.
    EXPECT_EQ(verify("client_2").exit_code, 0) << sql;
  }
  // A client with no state is an error (exit 2), not a verdict.
  const auto none = verify("client_9");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(test::split_lines(none.err).size(), 1u) << none.err;
}

TEST_F(E2e, GoingBackADayIsAnErrorAndChangesNothing) {
  ASSERT_EQ(to_string(test::run_day("incremental", "client_1", 3, data_, db_).path), "first-run");
  const std::string before = test::read_file(db_);
  const auto rows = test::db_rows(db_, "client_1");
  try {
    test::run_day("incremental", "client_1", 2, data_, db_);
    FAIL() << "went back from day 3 to day 2";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.rfind(test::day_path(data_, "client_1", 2) + ": ", 0), 0u) << m;
    EXPECT_NE(m.find("day 3"), std::string::npos) << m;
  }
  EXPECT_EQ(test::read_file(db_), before);
  EXPECT_EQ(test::db_rows(db_, "client_1"), rows);
  // Through the binary: exit 2, one line on stderr, nothing on stdout, database unchanged.
  const auto r = run_cli("incremental", "client_1", 2);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(test::split_lines(r.err).size(), 1u) << r.err;
  EXPECT_EQ(test::read_file(db_), before);
  // A full run of the older day is the documented way back, and incremental continues from it.
  EXPECT_EQ(to_string(test::run_day("full", "client_1", 2, data_, db_).path), "full");
  EXPECT_EQ(test::db_rows(db_, "client_1"),
            test::reference_of_zip(test::day_path(data_, "client_1", 2)));
  EXPECT_EQ(to_string(test::run_day("incremental", "client_1", 3, data_, db_).path), "checkpoint");
  EXPECT_EQ(test::db_rows(db_, "client_1"), rows);
}

TEST_F(E2e, IncrementalWithoutADatabaseIsAFirstRun) {
  ASSERT_FALSE(std::filesystem::exists(db_));
  const RunReport r = test::run_day("incremental", "client_2", 2, data_, db_);
  EXPECT_EQ(to_string(r.path), "first-run");
  EXPECT_EQ(r.rows_processed, 5800u);
  EXPECT_EQ(r.rows_in_file, 5800u);
  EXPECT_TRUE(std::filesystem::exists(db_));
  EXPECT_EQ(test::db_rows(db_, "client_2"),
            test::reference_of_zip(test::day_path(data_, "client_2", 2)));
  EXPECT_TRUE(test::db_rows(db_, "client_1").empty());
}

TEST_F(E2e, FullThenIncrementalContinuesFromTheFullRunsCheckpoints) {
  for (int c = 1; c <= 2; ++c) {
    const std::string client = client_name(c);
    EXPECT_EQ(to_string(test::run_day("full", client, 1, data_, db_).path), "full");
    for (int day = 2; day <= 4; ++day) {
      const RunReport r = test::run_day("incremental", client, day, data_, db_);
      EXPECT_EQ(to_string(r.path), "checkpoint") << client << " day " << day;
      EXPECT_EQ(r.rows_processed, 800u);
      // Not the whole file was inflated, but at least the new rows.
      const auto member = test::read_zip_member(test::day_path(data_, client, day));
      const auto previous = test::read_zip_member(test::day_path(data_, client, day - 1));
      EXPECT_LT(r.bytes_inflated, member.text.size()) << client << " day " << day;
      EXPECT_GE(r.bytes_inflated, member.text.size() - previous.text.size())
          << client << " day " << day;
      EXPECT_EQ(test::db_rows(db_, client), test::reference_rows(member.text))
          << client << " day " << day;
    }
  }
}

TEST_F(E2e, ConcurrentRunsOfDifferentClientsThroughTheBinaryStayExact) {
  // Two processes writing the same database: the write lock serializes them.
  std::vector<std::string> args1 = {"run",   "--mode", "incremental", "--client", "client_1",
                                    "--day", "4",      "--data-dir",  data_,      "--db",
                                    db_};
  std::vector<std::string> args2 = args1;
  args2[4] = "client_2";
  TempDir scratch1("e2e"), scratch2("e2e");
  test::ProcessResult r1, r2;
  std::thread t1([&] { r1 = test::run_snapdelta(args1, scratch1.str()); });
  std::thread t2([&] { r2 = test::run_snapdelta(args2, scratch2.str()); });
  t1.join();
  t2.join();
  EXPECT_EQ(r1.exit_code, 0) << r1.err;
  EXPECT_EQ(r2.exit_code, 0) << r2.err;
  for (int c = 1; c <= 2; ++c) {
    EXPECT_EQ(test::db_rows(db_, client_name(c)),
              test::reference_of_zip(test::day_path(data_, client_name(c), 4)));
  }
}
