// The drop catalog through a pattern: another extension, another folder shape; only exact
// matches are drops (no leading zeros, no other case, no other extension), and the default
// pattern is today's names.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "common/error.h"
#include "source/drop_catalog.h"
#include "test_support.h"

using namespace snapdelta;
using test::TempDir;

namespace {

void touch(const std::string& path) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << "x";
}

TEST(DropCatalogPattern, FindsDropsThroughThePatternOnly) {
  TempDir dir("catalog");
  const std::string data = dir / "data";
  for (const char* name : {"billing_1.csv.gz", "billing_3.csv.gz", "billing_02.csv.gz",
                           "BILLING_4.csv.gz", "billing_5.csv", "transactions_day_6.zip"}) {
    touch(data + "/acme/" + name);
  }
  const DropPattern p = drops::pattern_or_default("{client}/billing_{day}.csv.gz");
  EXPECT_EQ(drops::days(data, "acme", p), (std::vector<int>{1, 3}));
  EXPECT_EQ(drops::clients(data, p), (std::vector<std::string>{"acme"}));
  EXPECT_EQ(drops::newest_day(data, "acme", std::nullopt, p), 3);
  EXPECT_EQ(drops::drop_path(data, "acme", 3, p), data + "/acme/billing_3.csv.gz");
  EXPECT_EQ(drops::days(data, "acme"), (std::vector<int>{6}));  // the default pattern
  EXPECT_THROW(drops::require_drop(data, "acme", 2, p), Error);
}

TEST(DropCatalogPattern, AFolderBelowTheClient) {
  TempDir dir("catalog");
  const std::string data = dir / "data";
  touch(data + "/acme/daily/x_7.csv.zst");
  const DropPattern p = drops::pattern_or_default("{client}/daily/x_{day}.csv.zst");
  EXPECT_EQ(drops::days(data, "acme", p), (std::vector<int>{7}));
}

TEST(DropCatalogPattern, ABadPatternSaysWhatIsWrong) {
  try {
    drops::pattern_or_default("{client}/no_day.zip");
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--pattern: expected"), std::string::npos) << e.what();
  }
}

}  // namespace

namespace {

TEST(DropCatalogPattern, LooksLikeADropButIsNotIsListedAsIgnored) {
  TempDir dir("catalog");
  const std::string data = dir / "data";
  for (const char* name : {"transactions_day_1.zip", "transactions_day_03.zip",
                           "Transactions_Day_4.zip", "transactions_day_5.csv.gz", "notes.txt"}) {
    touch(data + "/client_1/" + name);
  }
  const std::vector<std::string> ignored = drops::ignored(data);
  ASSERT_EQ(ignored.size(), 3u) << ::testing::PrintToString(ignored);
  EXPECT_NE(ignored[0].find("Transactions_Day_4.zip: other case"), std::string::npos) << ignored[0];
  EXPECT_NE(ignored[1].find("transactions_day_03.zip: leading zero; the pattern reads 3 as "
                            "client_1/transactions_day_3.zip"),
            std::string::npos)
      << ignored[1];
  EXPECT_NE(ignored[2].find("transactions_day_5.csv.gz"), std::string::npos) << ignored[2];
}

}  // namespace
