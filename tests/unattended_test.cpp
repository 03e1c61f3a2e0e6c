// Unattended use, through the real binary (SQLite and PostgreSQL): a client's failed attempt is
// recorded, shown by status (text, JSON "health" and "last_error") and cleared by its next
// applied run; status --fail-if-lag exits 1 naming the clients behind by more than N drops, ahead
// of their drops or failed; log --failures lists them; a store fault stops sync in one line
// before any client is tried; an unknown --db scheme is refused with a hint; sync names the
// changed line of a rebuilt client; sync --client typos list the clients; verify checks every
// client with a state.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "store/pg_uri.h"
#include "store_kind.h"
#include "test_support.h"

using namespace snapdelta;
using json = nlohmann::ordered_json;

namespace {

const std::string kHead = "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";

// Day K of a cumulative drop: K rows (row 1 with `first_quantity`).
std::string day_text(int day, int first_quantity = 1) {
  std::string csv = kHead;
  for (int i = 1; i <= day; ++i) {
    csv += "T" + std::to_string(i) + ",2025-01-0" + std::to_string(i) + ",SKU_1," +
           std::to_string(i == 1 ? first_quantity : 1) + ",1.00\n";
  }
  return csv;
}

const char* kNotAZip = "expected a zip archive, found text \"not a zip\"";

class Unattended : public ::testing::TestWithParam<std::string> {
 protected:
  void write_days(const std::string& client, int from, int to) {
    for (int d = from; d <= to; ++d)
      test::write_zip_text(test::day_path(data_, client, d), day_text(d));
  }
  std::string drop(const std::string& client, int day) {
    return test::day_path(data_, client, day);
  }
  test::ProcessResult cli(std::vector<std::string> args) {
    args.insert(args.end(), {"--db", store_.db()});
    return test::run_snapdelta(args, store_.dir().str());
  }
  test::ProcessResult sync(std::vector<std::string> args = {}) {
    args.insert(args.begin(), {"sync", "--data-dir", data_});
    return cli(args);
  }
  json status_json() {
    const test::ProcessResult r = cli({"status", "--data-dir", data_, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.exit_code == 0 ? r.out : "[]");
  }
  // Five clients, one in each health: a current, b behind, c ahead, d failed, e no state.
  void five_healths() {
    for (const char* c : {"client_a", "client_c"}) write_days(c, 1, 3);
    for (const char* c : {"client_b", "client_d"}) write_days(c, 1, 2);
    ASSERT_EQ(sync().exit_code, 0);
    write_days("client_b", 3, 3);
    std::filesystem::remove(drop("client_c", 3));
    test::write_file(drop("client_d", 3), "not a zip");
    write_days("client_e", 1, 1);
  }

  test::StoreKind store_{GetParam()};
  std::string data_ = store_.dir() / "data";
};

}  // namespace

TEST_P(Unattended, AFailureIsRecordedShownAndClearedByTheNextAppliedRun) {
  five_healths();
  const test::ProcessResult failed = sync({"--client", "client_d", "--json"});
  EXPECT_EQ(failed.exit_code, 2);
  const std::string error = drop("client_d", 3) + ": " + kNotAZip;
  EXPECT_EQ(failed.err, error + "\n");
  EXPECT_EQ(json::parse(test::split_lines(failed.out).at(0))["from_day"], 2)
      << "a failed client shows the state's day";

  const json s = status_json();
  ASSERT_EQ(s.size(), 5u) << s.dump();
  const std::vector<std::pair<std::string, std::string>> want = {{"client_a", "current"},
                                                                 {"client_b", "behind"},
                                                                 {"client_c", "ahead"},
                                                                 {"client_d", "failed"},
                                                                 {"client_e", "no-state"}};
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(s[i]["client"], want[i].first);
    EXPECT_EQ(s[i]["health"], want[i].second) << s[i].dump();
    if (want[i].first != "client_d") {
      EXPECT_TRUE(s[i]["last_error"].is_null()) << s[i].dump();
    }
  }
  EXPECT_EQ(s[3]["last_error"], error);

  const test::ProcessResult text = cli({"status", "--data-dir", data_});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  const std::vector<std::string> lines = test::split_lines(text.out);
  ASSERT_EQ(lines.size(), 5u) << text.out;
  EXPECT_TRUE(
      lines[2].ends_with(", newest drop: day 2, lag 0, AHEAD of the drops: the state's drop, day 3 "
                         "(transactions_day_3.zip), is missing"))
      << lines[2];
  const std::regex failed_line(
      "client_d: day 2, .*, newest drop: day 3, lag 1 \\(day 3\\), FAILED day 3 at "
      "20[0-9-]{8}T[0-9:.]{12}Z: " +
      test::regex_escape(error));
  EXPECT_TRUE(std::regex_match(lines[3], failed_line)) << lines[3];

  const test::ProcessResult log = cli({"log", "--failures", "--json"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  const json f = json::parse(log.out);
  ASSERT_EQ(f.size(), 1u) << log.out;
  EXPECT_EQ(f[0]["client"], "client_d");
  EXPECT_EQ(f[0]["day"], 3);
  EXPECT_EQ(f[0]["file"], drop("client_d", 3));
  EXPECT_EQ(f[0]["error"], error);
  EXPECT_TRUE(f[0]["cleared_at"].is_null());

  write_days("client_d", 3, 3);
  ASSERT_EQ(sync({"--client", "client_d"}).exit_code, 0);
  const json after = status_json();
  EXPECT_EQ(after[3]["health"], "current");
  EXPECT_TRUE(after[3]["last_error"].is_null());
  const json cleared = json::parse(cli({"log", "--failures", "--json"}).out);
  ASSERT_EQ(cleared.size(), 1u);
  EXPECT_TRUE(cleared[0]["cleared_at"].is_string()) << cleared.dump();
}

TEST_P(Unattended, FailIfLagExitsOneNamingTheClientsBehindAheadOrFailed) {
  five_healths();
  ASSERT_EQ(sync({"--client", "client_d"}).exit_code, 2);
  const test::ProcessResult one = cli({"status", "--data-dir", data_, "--fail-if-lag", "1"});
  EXPECT_EQ(one.exit_code, 1);
  const std::vector<std::string> lines = test::split_lines(one.err);
  ASSERT_EQ(lines.size(), 2u) << one.err;
  EXPECT_EQ(lines[0], "client_c: ahead of its drops: state at day 3, newest drop day 2");
  EXPECT_TRUE(lines[1].starts_with("client_d: failed day 3 at 20")) << lines[1];
  EXPECT_TRUE(lines[1].ends_with(": " + drop("client_d", 3) + ": " + kNotAZip)) << lines[1];

  const test::ProcessResult zero = cli({"status", "--data-dir", data_, "--fail-if-lag", "0"});
  EXPECT_EQ(zero.exit_code, 1);
  const std::vector<std::string> all = test::split_lines(zero.err);
  ASSERT_EQ(all.size(), 4u) << zero.err;
  EXPECT_EQ(all[0], "client_b: 1 drops behind (days 3), more than --fail-if-lag 0");
  EXPECT_EQ(all[3], "client_e: 1 drops behind (days 1), more than --fail-if-lag 0");

  write_days("client_c", 3, 3);
  write_days("client_d", 3, 3);
  ASSERT_EQ(sync().exit_code, 0);
  const test::ProcessResult ok = cli({"status", "--data-dir", data_, "--fail-if-lag", "0"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.err, "");
  const test::ProcessResult bad = cli({"status", "--fail-if-lag", "-1"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST_P(Unattended, ARebuiltClientIsNamedWithItsChangedLine) {
  write_days("client_a", 1, 2);
  ASSERT_EQ(sync().exit_code, 0);
  test::write_zip_text(drop("client_a", 3), day_text(3, 7));  // row 1 (line 2) edited
  const test::ProcessResult r = sync({"--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, drop("client_a", 3) +
                       ": warning: history changed at line 2; client client_a rebuilt from this "
                       "drop\n");
  const json c = json::parse(test::split_lines(r.out).at(0));
  EXPECT_EQ(c["rebuilt"], "history changed at line 2");
  EXPECT_EQ(c["from_day"], 2);
  EXPECT_EQ(c["status"], "applied");
}

TEST_P(Unattended, VerifyChecksEveryClientAndNamesTheOnesThatDiffer) {
  write_days("client_a", 1, 2);
  write_days("client_b", 1, 3);
  ASSERT_EQ(sync().exit_code, 0);
  const test::ProcessResult same = cli({"verify", "--data-dir", data_});
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_EQ(test::split_lines(same.out).back(), "verified 2 clients: 2 identical, 0 different");
  store_.exec(
      "UPDATE processed_sales SET order_count = order_count + 1 WHERE client_id = "
      "'client_b'");
  const test::ProcessResult r = cli({"verify", "--data-dir", data_});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::vector<std::string> lines = test::split_lines(r.out);
  ASSERT_GE(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0],
            "verify client_a: identical (2 groups, recomputed from " + drop("client_a", 2) + ")");
  EXPECT_EQ(lines[1], "verify client_b: DIFFERENT from a recomputation of " + drop("client_b", 3) +
                          "; first differences:");
  EXPECT_EQ(lines.back(), "verified 2 clients: 1 identical, 1 different (client_b)");
  const test::ProcessResult one =
      cli({"verify", "--data-dir", data_, "--client", "client_a", "--client", "client_a"});
  EXPECT_EQ(one.exit_code, 0) << one.err;
}

TEST_P(Unattended, SyncClientTyposListTheClients) {
  write_days("client_1", 1, 1);
  write_days("client_2", 1, 1);
  const test::ProcessResult r = sync({"--client", "clinet_1"});
  EXPECT_EQ(r.exit_code, 2);
  const std::string abs = std::filesystem::absolute(data_).lexically_normal().string();
  EXPECT_EQ(r.err,
            abs + "/clinet_1: expected client \"clinet_1\" (did you mean \"client_1\"?) in " + abs +
                ", found clients client_1, client_2 (pass --data-dir, or create drops "
                "with snapdelta generate)\n");
}

INSTANTIATE_TEST_SUITE_P(Stores, Unattended, ::testing::Values("sqlite", "postgres"));

// Store faults: one line, exit 2, nothing on stdout (no client tried), for every command.
TEST(StoreFault, ADatabaseThatCannotBeOpenedStopsSyncOnce) {
  test::TempDir dir("fault");
  const std::string data = dir / "data";
  for (const char* c : {"client_1", "client_2", "client_3"})
    test::write_zip_text(test::day_path(data, c, 1), day_text(1));
  const std::string db = dir / "db";
  std::filesystem::create_directory(db);
  for (const std::string cmd : {"sync", "status", "verify"}) {
    const test::ProcessResult r =
        test::run_snapdelta({cmd, "--data-dir", data, "--db", db}, dir.str());
    EXPECT_EQ(r.exit_code, 2) << cmd;
    EXPECT_EQ(r.out, "") << cmd;
    EXPECT_EQ(r.err,
              db + ": cannot open database: cannot open or create the file: Is a directory\n")
        << cmd;
  }
  const test::ProcessResult log = test::run_snapdelta({"log", "--db", db}, dir.str());
  EXPECT_EQ(log.exit_code, 2);
  EXPECT_EQ(log.err,
            db + ": cannot open database: cannot open or create the file: Is a directory\n");
}

TEST(StoreFault, AServerThatCannotBeReachedStopsSyncOnce) {
  test::TempDir dir("fault");
  const std::string data = dir / "data";
  for (const char* c : {"client_1", "client_2", "client_3"})
    test::write_zip_text(test::day_path(data, c, 1), day_text(1));
  const std::string db = "postgresql://nobody@/nodb?host=" + (dir / "no-server");
  const test::ProcessResult r =
      test::run_snapdelta({"sync", "--data-dir", data, "--db", db}, dir.str());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(test::split_lines(r.err).size(), 1u) << r.err;
  EXPECT_TRUE(r.err.starts_with(db + ": expected a PostgreSQL server")) << r.err;
}

TEST(StoreFault, AnUnknownSchemeIsRefusedWithAHint) {
  test::TempDir dir("fault");
  const std::string data = dir / "data";
  test::write_zip_text(test::day_path(data, "client_1", 1), day_text(1));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"postgresq://postgres@/postgres?host=/tmp",
       "--db: expected an SQLite file or a postgresql:// or postgres:// URI, found "
       "\"postgresq://\" (did you mean \"postgresql://\"?)\n"},
      {"mysql://u:secret@h/db",
       "--db: expected an SQLite file or a postgresql:// or postgres:// URI, found "
       "\"mysql://\"\n"}};
  for (const auto& [db, want] : cases) {
    for (const std::string cmd : {"sync", "status", "verify"}) {
      const test::ProcessResult r =
          test::run_snapdelta({cmd, "--data-dir", data, "--db", db}, dir.str());
      EXPECT_EQ(r.exit_code, 2) << cmd << " " << db;
      EXPECT_EQ(r.out, "") << cmd;
      EXPECT_EQ(r.err, want) << cmd;
    }
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "postgresq:"));
}

TEST(StoreFault, AMissingDatabaseIsNoFaultAndBadInputCreatesNone) {
  test::TempDir dir("fault");
  const std::string data = dir / "data";
  test::write_file(test::day_path(data, "client_1", 1), "not a zip");
  const std::string db = dir / "new.db";
  const test::ProcessResult r =
      test::run_snapdelta({"sync", "--data-dir", data, "--db", db}, dir.str());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, test::day_path(data, "client_1", 1) + ": " + kNotAZip + "\n");
  EXPECT_FALSE(std::filesystem::exists(db));
}
