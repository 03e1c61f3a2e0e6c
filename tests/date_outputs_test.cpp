// Drops keyed by {date:...}: every output shows dates. `sync --json` adds from_date and to_date
// beside from_day and to_day, `log` shows the date in its day column and `log --json` adds
// "date", and a missing drop names the date wanted and the dates there.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "source/drop_catalog.h"
#include "test_support.h"

namespace snapdelta::test {
namespace {

using json = nlohmann::ordered_json;

const std::string kPattern = "{client}/tx_{date:%Y%m%d}.csv";

class DateOutputs : public ::testing::Test {
 protected:
  DateOutputs() {
    std::filesystem::create_directories(data_ + "/client_1");
    std::string csv = "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";
    for (int d = 3; d <= 6; ++d) {  // 2025-11-03 .. 2025-11-06
      csv += "T" + std::to_string(d) + ",2025-11-0" + std::to_string(d) + ",SKU_1,1,1.00\n";
      write_file(data_ + "/client_1/tx_2025110" + std::to_string(d) + ".csv", csv);
    }
  }
  ProcessResult cli(std::vector<std::string> args) {
    args.insert(args.end(), {"--db", db_, "--pattern", kPattern});
    return run_snapdelta(args, dir_.str());
  }
  // The first line of `sync --json` (client_1's object).
  json sync_json(std::vector<std::string> args) {
    args.insert(args.begin(), {"sync", "--json", "--data-dir", data_});
    const ProcessResult r = cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(split_lines(r.out).at(0));
  }

  TempDir dir_{"date_outputs"};
  std::string data_ = dir_ / "data";
  std::string db_ = dir_ / "d.db";
};

TEST_F(DateOutputs, SyncJsonAddsTheDatesBesideTheDays) {
  const json first = sync_json({"--through-day", "2025-11-04"});
  EXPECT_EQ(first["from_day"], 0);
  EXPECT_EQ(first["from_date"], nullptr);
  EXPECT_EQ(first["to_day"], 20396);
  EXPECT_EQ(first["to_date"], "2025-11-04");
  const json second = sync_json({});
  std::vector<std::string> keys;
  for (const auto& [key, value] : second.items()) keys.push_back(key);
  keys.resize(5);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"client", "from_day", "from_date", "to_day", "to_date"}));
  EXPECT_EQ(second["from_day"], 20396);
  EXPECT_EQ(second["from_date"], "2025-11-04");
  EXPECT_EQ(second["to_day"], 20398);
  EXPECT_EQ(second["to_date"], "2025-11-06");
}

TEST_F(DateOutputs, LogShowsTheDates) {
  sync_json({"--through-day", "2025-11-04"});
  sync_json({});
  const ProcessResult text = cli({"log"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  const std::vector<std::string> lines = split_lines(text.out);
  ASSERT_EQ(lines.size(), 3u) << text.out;
  EXPECT_EQ(lines[1].rfind("client_1  2025-11-04  incremental", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind("client_1  2025-11-06  incremental", 0), 0u) << lines[2];
  const ProcessResult j = cli({"log", "--json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const json runs = json::parse(j.out);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1]["day"], 20398);
  EXPECT_EQ(runs[1]["date"], "2025-11-06");
  std::vector<std::string> keys;
  for (const auto& [key, value] : runs[1].items()) keys.push_back(key);
  keys.resize(4);
  EXPECT_EQ(keys, (std::vector<std::string>{"client", "day", "date", "file"}));
}

TEST_F(DateOutputs, AMissingDropNamesDates) {
  const ProcessResult r = cli({"run", "--mode", "full", "--client", "client_1", "--day",
                               "2025-11-07", "--data-dir", data_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, data_ +
                       "/client_1/tx_20251107.csv: cannot open file: No such file or "
                       "directory; expected date 2025-11-07 in " +
                       drops::absolute_dir(data_ + "/client_1") +
                       ", found dates 2025-11-03 to 2025-11-06 (pass --data-dir, or create drops "
                       "with snapdelta generate)\n");
}

}  // namespace
}  // namespace snapdelta::test
