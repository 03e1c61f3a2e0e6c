// `snapdelta status` with the drops on disk, through the real binary (SQLite and PostgreSQL):
// each client with a state shows its newest drop in --data-dir and its lag (the days on disk after
// the state's day); clients with drops but no state follow, lagging by all their days; a client
// whose drops are not in this data dir shows no newest drop and lag 0. --json keeps the state's
// keys and adds newest_day and lag (the state's keys are null for a client without state).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/pg_uri.h"
#include "store_kind.h"
#include "test_support.h"

using namespace snapdelta;
using json = nlohmann::ordered_json;  // keeps the keys in the order printed

namespace {

const std::string kHead = "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";

// Day K of a cumulative drop: K rows.
std::string day_text(int day) {
  std::string csv = kHead;
  for (int i = 1; i <= day; ++i)
    csv += "T" + std::to_string(i) + ",2025-01-0" + std::to_string(i) + ",SKU_1,1,1.00\n";
  return csv;
}

const std::vector<std::string> kKeys = {
    "client",     "day",         "file",     "rows",       "bytes", "groups", "mode",
    "updated_at", "checkpoints", "segments", "newest_day", "lag",   "health", "last_error"};

class StatusCommand : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    write_days(data_, "client_1", 4);
    write_days(data_, "client_2", 3);
    write_days(data_, "client_10", 2);
    write_days(other_, "client_3", 1);
  }

  static void write_days(const std::string& dir, const std::string& client, int days) {
    for (int d = 1; d <= days; ++d)
      test::write_zip_text(test::day_path(dir, client, d), day_text(d));
  }

  test::ProcessResult cli(const std::vector<std::string>& args) {
    return test::run_snapdelta(args, store_.dir().str());
  }

  void run(const std::string& client, int day, const std::string& data) {
    const test::ProcessResult r =
        cli({"run", "--mode", "incremental", "--client", client, "--day", std::to_string(day),
             "--data-dir", data, "--db", store_.db()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  json status_json(const std::string& data) {
    const test::ProcessResult r =
        cli({"status", "--db", store_.db(), "--data-dir", data, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    return json::parse(r.exit_code == 0 ? r.out : "[]");
  }

  test::StoreKind store_{GetParam()};
  std::string data_ = store_.dir() / "data";
  std::string other_ = store_.dir() / "other";
};

}  // namespace

TEST_P(StatusCommand, JsonShowsTheNewestDropAndTheLagOfEveryClient) {
  run("client_1", 2, data_);
  run("client_3", 1, other_);
  const json s = status_json(data_);
  ASSERT_EQ(s.size(), 4u) << s.dump();
  for (const json& c : s) {
    std::vector<std::string> keys;
    for (const auto& item : c.items()) keys.push_back(item.key());
    EXPECT_EQ(keys, kKeys) << c.dump();
  }
  // The states first (by client), then the clients without one in natural order.
  EXPECT_EQ(s[0]["client"], "client_1");
  EXPECT_EQ(s[0]["day"], 2);
  EXPECT_EQ(s[0]["rows"], 2);
  EXPECT_EQ(s[0]["newest_day"], 4);
  EXPECT_EQ(s[0]["lag"], 2);
  EXPECT_EQ(s[1]["client"], "client_3");
  EXPECT_EQ(s[1]["day"], 1);
  EXPECT_TRUE(s[1]["newest_day"].is_null());
  EXPECT_EQ(s[1]["lag"], 0);
  EXPECT_EQ(s[2]["client"], "client_2");
  EXPECT_TRUE(s[2]["day"].is_null());
  EXPECT_TRUE(s[2]["file"].is_null());
  EXPECT_TRUE(s[2]["rows"].is_null());
  EXPECT_EQ(s[2]["newest_day"], 3);
  EXPECT_EQ(s[2]["lag"], 3);
  EXPECT_EQ(s[3]["client"], "client_10");
  EXPECT_EQ(s[3]["newest_day"], 2);
  EXPECT_EQ(s[3]["lag"], 2);
  // Catching up removes the lag; a drop newer than the state brings it back.
  run("client_1", 4, data_);
  EXPECT_EQ(status_json(data_)[0]["lag"], 0);
  write_days(data_, "client_1", 6);
  EXPECT_EQ(status_json(data_)[0]["lag"], 2);
  EXPECT_EQ(status_json(data_)[0]["newest_day"], 6);
}

TEST_P(StatusCommand, TextAddsTheNewestDropAndTheDaysNotApplied) {
  run("client_1", 2, data_);
  run("client_3", 1, other_);
  const test::ProcessResult r = cli({"status", "--db", store_.db(), "--data-dir", data_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::vector<std::string> lines = test::split_lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_EQ(lines[0].rfind("client_1: day 2, 2 rows, ", 0), 0u) << lines[0];
  EXPECT_TRUE(lines[0].ends_with("transactions_day_2.zip), newest drop: day 4, lag 2 (days 3-4)"))
      << lines[0];
  EXPECT_TRUE(lines[1].ends_with("transactions_day_1.zip), newest drop: none, lag 0")) << lines[1];
  EXPECT_EQ(lines[2], "client_2: no state, newest drop: day 3, lag 3 (days 1-3)");
  EXPECT_EQ(lines[3], "client_10: no state, newest drop: day 2, lag 2 (days 1-2)");
}

TEST_P(StatusCommand, NoStateYetListsTheClientsWithDrops) {
  ASSERT_EQ(cli({"init", "--db", store_.db()}).exit_code, 0);
  const test::ProcessResult r = cli({"status", "--db", store_.db(), "--data-dir", other_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "no client state in " + redact_uri(store_.db()) +
                       "\nclient_3: no state, newest drop: day 1, lag 1 (day 1)\n");
}

// The data dir is not there: the states still show, with one line on stderr saying why there is
// no lag; in JSON newest_day and lag are null.
TEST_P(StatusCommand, AMissingDataDirStillShowsTheStates) {
  run("client_1", 2, data_);
  const std::string nowhere = store_.dir() / "nowhere";
  const std::string why = nowhere + ": could not look for drops: expected a data directory at " +
                          nowhere + ", found none (pass --data-dir)\n";
  const test::ProcessResult text = cli({"status", "--db", store_.db(), "--data-dir", nowhere});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.err, why);
  ASSERT_EQ(test::split_lines(text.out).size(), 1u) << text.out;
  EXPECT_TRUE(text.out.ends_with("transactions_day_2.zip)\n")) << text.out;
  const test::ProcessResult js =
      cli({"status", "--db", store_.db(), "--data-dir", nowhere, "--json"});
  EXPECT_EQ(js.exit_code, 0) << js.err;
  EXPECT_EQ(js.err, why);
  const json s = json::parse(js.out);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0]["day"], 2);
  EXPECT_TRUE(s[0]["newest_day"].is_null());
  EXPECT_TRUE(s[0]["lag"].is_null());
}

// Files that look like drops but are not are listed once each with the reason: after the text,
// and on stderr beside --json's array (as sync prints them), which stays one JSON value.
TEST_P(StatusCommand, IgnoredFilesAreListedWithTheirReasonAlsoWithJson) {
  run("client_1", 2, data_);
  for (const char* name :
       {"transactions_day_0.zip", "transactions_day_03.zip", "transactions_day_5.zip.tmp"})
    test::write_file(data_ + "/client_1/" + name, "x");
  const std::string ignored =
      "ignored client_1/transactions_day_0.zip: 0 is not a day; days start at 1\n"
      "ignored client_1/transactions_day_03.zip: leading zero; the pattern reads 3 as "
      "client_1/transactions_day_3.zip\n"
      "ignored client_1/transactions_day_5.zip.tmp: other extension .zip.tmp; the pattern reads "
      "client_1/transactions_day_5.zip\n";
  const test::ProcessResult text = cli({"status", "--db", store_.db(), "--data-dir", data_});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(text.out.ends_with("lag 2 (days 1-2)\n" + ignored)) << text.out;
  EXPECT_EQ(text.err, "");
  const test::ProcessResult js =
      cli({"status", "--db", store_.db(), "--data-dir", data_, "--json"});
  EXPECT_EQ(js.exit_code, 0) << js.err;
  EXPECT_EQ(js.err, ignored);
  EXPECT_EQ(json::parse(js.out).size(), 3u) << js.out;
}

INSTANTIATE_TEST_SUITE_P(Stores, StatusCommand, ::testing::Values("sqlite", "postgres"));
