// `snapdelta log` through the real binary, on SQLite and PostgreSQL: after runs of two clients
// the log holds one row per applied run, oldest first, with what each run reported (a rerun's
// no-op adds no row, a restated history logs path "rebuilt"); --client keeps one client's rows;
// --json is one array of objects with exactly the documented keys; the text table is aligned
// under its header; an empty log says so naming the store (a server without its password); a
// missing database is the usual one line with exit 2.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "pg_test_support.h"
#include "store/pg_uri.h"
#include "store_kind.h"
#include "test_support.h"

using namespace snapdelta;
using json = nlohmann::ordered_json;  // keeps the keys in the order printed

namespace {

const std::string kHead = "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";
const std::string kA1 = kHead + "T1,2025-01-01,SKU_1,2,10.50\nT2,2025-01-01,SKU_2,1,3.00\n";
const std::string kA2 = kA1 + "T3,2025-01-02,SKU_1,5,7.25\nT4,2025-01-02,SKU_3,1,1.00\n";
// Day 3 edits T2: the history changed, the client is rebuilt from this drop.
const std::string kA3 = kHead +
                        "T1,2025-01-01,SKU_1,2,10.50\nT2,2025-01-01,SKU_2,9,3.00\n"
                        "T3,2025-01-02,SKU_1,5,7.25\nT4,2025-01-02,SKU_3,1,1.00\n"
                        "T5,2025-01-03,SKU_2,1,2.00\n";
const std::string kB1 = kHead + "U1,2025-02-01,SKU_9,1,1.00\n";
const std::string kB2 = kB1 + "U2,2025-02-01,SKU_9,3,4.00\nU3,2025-02-02,SKU_8,1,0.50\n";

const std::vector<std::string> kKeys = {
    "client",         "day",      "file",        "mode", "path", "rows_in_file", "rows_processed",
    "groups_written", "total_ms", "finished_at", "host", "pid"};

std::string this_host() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return host;
}

class LogCommand : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::vector<std::pair<std::string, std::vector<std::string>>> drops = {
        {"client_1", {kA1, kA2, kA3}}, {"client_2", {kB1, kB2}}};
    for (const auto& [client, days] : drops) {
      for (size_t i = 0; i < days.size(); ++i)
        test::write_zip_text(test::day_path(data_, client, static_cast<int>(i + 1)), days[i]);
    }
  }

  test::ProcessResult cli(std::vector<std::string> args) {
    return test::run_snapdelta(args, store_.dir().str());
  }

  // One run through the binary; returns its JSON summary.
  json run(const std::string& mode, const std::string& client, int day) {
    const test::ProcessResult r =
        cli({"run", "--mode", mode, "--client", client, "--day", std::to_string(day), "--data-dir",
             data_, "--db", store_.db(), "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.exit_code == 0 ? r.out : "{}");
  }

  json log_json(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"log", "--db", store_.db(), "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const test::ProcessResult r = cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "one line of JSON";
    return json::parse(r.exit_code == 0 ? r.out : "[]");
  }

  // The runs of the scenario below, as each one reported itself; the no-op is not among them.
  std::vector<json> scenario() {
    std::vector<json> applied;
    applied.push_back(run("incremental", "client_1", 1));
    applied.push_back(run("incremental", "client_2", 1));
    applied.push_back(run("incremental", "client_1", 2));
    EXPECT_EQ(run("incremental", "client_1", 2)["path"], "noop");
    applied.push_back(run("full", "client_2", 2));
    applied.push_back(run("incremental", "client_1", 3));
    return applied;
  }

  test::StoreKind store_{GetParam()};
  std::string data_ = store_.dir() / "data";
};

void expect_matches(const json& logged, const json& reported) {
  for (const char* key : {"client", "day", "file", "mode", "path", "rows_in_file", "rows_processed",
                          "groups_written"}) {
    EXPECT_EQ(logged[key], reported[key]) << key << " of " << logged.dump();
  }
}

}  // namespace

TEST_P(LogCommand, ListsEachAppliedRunOldestFirstWithWhatItReported) {
  const std::vector<json> applied = scenario();
  ASSERT_EQ(applied.back()["path"], "rebuilt");
  const json log = log_json();
  ASSERT_TRUE(log.is_array());
  ASSERT_EQ(log.size(), applied.size()) << log.dump();
  static const std::regex iso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  std::string previous;
  for (size_t i = 0; i < log.size(); ++i) {
    std::vector<std::string> keys;
    for (const auto& item : log[i].items()) keys.push_back(item.key());
    EXPECT_EQ(keys, kKeys);
    expect_matches(log[i], applied[i]);
    EXPECT_GT(log[i]["total_ms"].get<double>(), 0.0);
    const std::string at = log[i]["finished_at"];
    EXPECT_TRUE(std::regex_match(at, iso)) << at;
    EXPECT_LE(previous, at) << "oldest first";
    previous = at;
    EXPECT_EQ(log[i]["host"], this_host());
    EXPECT_GT(log[i]["pid"].get<int64_t>(), 0);
  }
  EXPECT_EQ(log[4]["path"], "rebuilt");
  EXPECT_EQ(log[3]["mode"], "full");
}

TEST_P(LogCommand, ClientKeepsThatClientsRunsOnly) {
  const std::vector<json> applied = scenario();
  const json c2 = log_json({"--client", "client_2"});
  ASSERT_EQ(c2.size(), 2u) << c2.dump();
  expect_matches(c2[0], applied[1]);
  expect_matches(c2[1], applied[3]);
  EXPECT_EQ(log_json({"--client", "client_9"}), json::array());
  const test::ProcessResult none = cli({"log", "--db", store_.db(), "--client", "client_9"});
  EXPECT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(none.out, "no runs of client client_9 in " + redact_uri(store_.db()) + "\n");
}

// The table: a header, then one line per run, each cell in its column (left-aligned text starts
// where its title starts, right-aligned numbers end where theirs ends).
TEST_P(LogCommand, TextIsOneAlignedTableUnderAHeader) {
  scenario();
  const json log = log_json();
  const test::ProcessResult r = cli({"log", "--db", store_.db()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::vector<std::string> lines = test::split_lines(r.out);
  ASSERT_EQ(lines.size(), log.size() + 1) << r.out;
  const std::string& header = lines[0];
  EXPECT_EQ(header.rfind("client", 0), 0u) << header;
  for (const char* title : {"day", "mode", "path", "rows in file", "rows processed",
                            "groups written", "ms", "finished at", "host", "pid"}) {
    EXPECT_NE(header.find(std::string("  ") + title), std::string::npos) << title;
  }
  const size_t path_at = header.find("  path") + 2;
  const size_t at_at = header.find("  finished at") + 2;
  const size_t processed_end = header.find("rows processed") + std::string("rows processed").size();
  for (size_t i = 0; i < log.size(); ++i) {
    const std::string& line = lines[i + 1];
    const std::string path = log[i]["path"], at = log[i]["finished_at"];
    const std::string processed = std::to_string(log[i]["rows_processed"].get<uint64_t>());
    EXPECT_EQ(line.rfind(log[i]["client"].get<std::string>() + " ", 0), 0u) << line;
    EXPECT_EQ(line.substr(path_at, path.size() + 1), path + " ") << line;
    EXPECT_EQ(line.substr(at_at, at.size()), at) << line;
    EXPECT_EQ(line.substr(processed_end - processed.size() - 1, processed.size() + 1),
              " " + processed)
        << line;
    EXPECT_NE(line.back(), ' ');
  }
}

// A store with its schema and no run yet; the message names the store as describe() does (a
// server URI given with a password shows "***").
TEST_P(LogCommand, AnEmptyLogSaysSoNamingTheStore) {
  std::string db = store_.db();
  std::string password;
  if (store_.postgres() && redact_uri(db) == db) {
    const char* from_env = std::getenv("PGPASSWORD");
    password = from_env != nullptr && *from_env != '\0' ? from_env : "not-asked-for";
    db += (db.find('?') == std::string::npos ? "?" : "&") + std::string("password=") + password;
  }
  ASSERT_EQ(cli({"init", "--db", db}).exit_code, 0);
  const test::ProcessResult r = cli({"log", "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "no runs in " + redact_uri(db) + "\n");
  EXPECT_TRUE(password.empty() || r.out.find(password) == std::string::npos) << r.out;
  EXPECT_EQ(log_json(), json::array());
}

INSTANTIATE_TEST_SUITE_P(Stores, LogCommand, ::testing::Values("sqlite", "postgres"));

TEST(LogCommandDb, AMissingDatabaseIsOneLineWithExitCode2) {
  test::TempDir dir("log");
  const std::string db = dir / "nope.db";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"log", "--db", db}, {"log", "--db", db, "--json"}}) {
    const test::ProcessResult r = test::run_snapdelta(args, dir.str());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, db + ": expected a database, found no such file in " + dir.str() +
                         " (run snapdelta sync (or run) first, or pass --db)\n");
  }
  EXPECT_FALSE(std::filesystem::exists(db));
}
