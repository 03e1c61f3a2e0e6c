// A sum that leaves 64-bit integers only once merged into the stored rows fails its client in
// `sync` with one line that names the drop first, as the client's other errors do, so stderr
// tells which client failed; the other clients land.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"

namespace snapdelta::test {
namespace {

const std::string kHead = "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";

TEST(SyncOverflow, AMergeOverflowNamesTheDrop) {
  TempDir dir("sync_overflow");
  const std::string data = dir / "data", db = dir / "o.db";
  std::string small = kHead, big = kHead;
  for (int day = 1; day <= 2; ++day) {
    small += "T" + std::to_string(day) + ",2025-10-01,SKU_1,1,1.00\n";
    // Day 1: ten rows of 9 * 10^17, within int64; day 2's one more leaves it once merged.
    for (int row = 0; row < (day == 1 ? 10 : 1); ++row)
      big += "T" + std::to_string(day) + ",2025-10-01,SKU_1,900000000000000000,1.00\n";
    for (const auto& [client, text] : {std::pair{"a", &small}, std::pair{"b", &big}}) {
      std::filesystem::create_directories(data + "/" + client);
      write_file(data + "/" + client + "/d_" + std::to_string(day) + ".csv", *text);
    }
  }
  const auto sync = [&](const std::string& through) {
    return run_snapdelta({"sync", "--data-dir", data, "--db", db, "--pattern",
                          "{client}/d_{day}.csv", "--through-day", through},
                         dir.str());
  };
  ASSERT_EQ(sync("1").exit_code, 0);
  const ProcessResult r = sync("2");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, data + "/b/d_2.csv: " + db +
                       ": expected sums within 64-bit integers, found an overflow in table "
                       "processed_sales, group (2025-10-01, SKU_1), measure total_quantity\n");
  const std::vector<std::string> lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_NE(lines[1].find(" applied"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find(" failed"), std::string::npos) << lines[2];
}

}  // namespace
}  // namespace snapdelta::test
