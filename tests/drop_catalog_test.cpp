// Tests for src/source/drop_catalog: drop names and paths, listing a data directory's clients and
// a client's days (only real drops count, in natural / numeric order), the newest day, and the
// one-line message require_drop() gives for a missing data directory, client or day.
#include "source/drop_catalog.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/error.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace snapdelta;
using test::TempDir;

namespace {

void touch(const fs::path& p) { test::write_file(p.string(), "x"); }

std::string error_of(const std::string& data_dir, const std::string& client, int day) {
  try {
    drops::require_drop(data_dir, client, day);
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

// A data dir with client_1 (days 1, 2, 3, 5), client_10 (day 1), client_2 (day 7), a folder
// without drops, stray files and names that only look like drops.
class Catalog : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int d : {3, 1, 5, 2}) touch(data_ / "client_1" / drops::drop_name(d));
    touch(data_ / "client_10" / drops::drop_name(1));
    touch(data_ / "client_2" / drops::drop_name(7));
    touch(data_ / "client_2" / "transactions_day_07.zip");  // leading zero: not day 7's drop
    touch(data_ / "client_2" / "transactions_day_0.zip");
    touch(data_ / "client_2" / "transactions_day_x.zip");
    touch(data_ / "client_2" / "transactions_day_8.csv");
    fs::create_directories(data_ / "client_2" / drops::drop_name(9));  // a folder, not a drop
    touch(data_ / "notes" / "readme.txt");
    touch(data_ / drops::drop_name(1));  // a drop file directly in the data dir is no client
  }
  TempDir dir_{"catalog"};
  fs::path data_ = dir_.path() / "data";
};

}  // namespace

TEST(DropCatalog, NamesAndPaths) {
  EXPECT_EQ(drops::drop_name(12), "transactions_day_12.zip");
  EXPECT_EQ(drops::day_of("transactions_day_12.zip"), 12);
  EXPECT_EQ(drops::day_of("transactions_day_012.zip"), std::nullopt);
  EXPECT_EQ(drops::day_of("transactions_day_0.zip"), std::nullopt);
  EXPECT_EQ(drops::day_of("transactions_day_-1.zip"), std::nullopt);
  EXPECT_EQ(drops::day_of("transactions_day_.zip"), std::nullopt);
  EXPECT_EQ(drops::day_of("transactions_day_99999999999.zip"), std::nullopt);
  EXPECT_EQ(drops::day_of("transactions_day_3.zip.tmp"), std::nullopt);
  EXPECT_EQ(drops::drop_path("data", "client_1", 3), "data/client_1/transactions_day_3.zip");
  EXPECT_EQ(drops::drop_path("data/", "c", 1), "data/c/transactions_day_1.zip");
  EXPECT_EQ(drops::drop_path("/abs/d", "c", 2), "/abs/d/c/transactions_day_2.zip");
}

TEST(DropCatalog, DescribesDaysAsRanges) {
  EXPECT_EQ(drops::describe_days({}), "");
  EXPECT_EQ(drops::describe_days({4}), "4");
  EXPECT_EQ(drops::describe_days({1, 2, 3, 5, 7, 8}), "1-3, 5, 7-8");
}

TEST_F(Catalog, ListsClientsWithDropsInNaturalOrder) {
  EXPECT_EQ(drops::clients(data_.string()),
            (std::vector<std::string>{"client_1", "client_2", "client_10"}));
}

TEST_F(Catalog, ListsOnlyRealDropsSortedByDay) {
  EXPECT_EQ(drops::days(data_.string(), "client_1"), (std::vector<int>{1, 2, 3, 5}));
  EXPECT_EQ(drops::days(data_.string(), "client_2"), (std::vector<int>{7}));
  EXPECT_TRUE(drops::days(data_.string(), "notes").empty());
  EXPECT_TRUE(drops::days(data_.string(), "nobody").empty());
}

TEST_F(Catalog, FindsTheNewestDayOptionallyAtMostADay) {
  EXPECT_EQ(drops::newest_day(data_.string(), "client_1"), 5);
  EXPECT_EQ(drops::newest_day(data_.string(), "client_1", 4), 3);
  EXPECT_EQ(drops::newest_day(data_.string(), "client_1", 5), 5);
  EXPECT_EQ(drops::newest_day(data_.string(), "client_1", 0), std::nullopt);
  EXPECT_EQ(drops::newest_day(data_.string(), "nobody"), std::nullopt);
}

// One listing of every folder says what clients(), days() and ignored() say one by one.
TEST_F(Catalog, ASurveyListsEachFolderOnceWithItsDaysAndIgnoredFiles) {
  const std::vector<drops::FolderDrops> survey = drops::survey(data_.string());
  std::vector<std::string> names, with_drops, ignored;
  for (const drops::FolderDrops& f : survey) {
    names.push_back(f.name);
    if (!f.days.empty()) with_drops.push_back(f.name);
    EXPECT_EQ(f.days, drops::days(data_.string(), f.name)) << f.name;
    ignored.insert(ignored.end(), f.ignored.begin(), f.ignored.end());
  }
  EXPECT_EQ(names, drops::folders(data_.string()));
  EXPECT_EQ(with_drops, drops::clients(data_.string()));
  EXPECT_EQ(survey.at(0).days, (std::vector<int>{1, 2, 3, 5}));
  EXPECT_EQ(ignored, drops::ignored(data_.string()));
  ASSERT_EQ(survey.at(1).name, "client_2");
  EXPECT_EQ(survey.at(1).ignored,
            (std::vector<std::string>{
                "client_2/transactions_day_0.zip: 0 is not a day; days start at 1",
                "client_2/transactions_day_07.zip: leading zero; the pattern reads 7 as "
                "client_2/transactions_day_7.zip",
                "client_2/transactions_day_8.csv: other extension .csv; the pattern reads "
                "client_2/transactions_day_8.zip"}));
}

TEST(DropCatalog, AMissingDataDirListsNothing) {
  TempDir dir("catalog");
  EXPECT_TRUE(drops::clients(dir / "absent").empty());
  EXPECT_TRUE(drops::days(dir / "absent", "client_1").empty());
}

// A data dir that cannot be listed for another reason than its absence is an error, not an empty
// catalog (here a name longer than any file system allows, which even root cannot list).
TEST(DropCatalog, AnUnlistableDataDirIsAnError) {
  TempDir dir("catalog");
  const fs::path data = dir.path() / std::string(300, 'd');
  EXPECT_THROW(drops::clients(data.string()), Error);
}

TEST_F(Catalog, RequireDropReturnsThePathOfAnExistingDrop) {
  EXPECT_EQ(drops::require_drop(data_.string(), "client_1", 5),
            (data_ / "client_1" / "transactions_day_5.zip").string());
}

TEST_F(Catalog, AMissingDayNamesTheClientsDirectoryAndItsDays) {
  const std::string e = error_of(data_.string(), "client_1", 4);
  EXPECT_EQ(e.rfind((data_ / "client_1" / "transactions_day_4.zip").string() + ": ", 0), 0u) << e;
  EXPECT_NE(e.find("expected day 4 in " + (data_ / "client_1").string() + ", found days 1-3, 5"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("--data-dir"), std::string::npos) << e;
  EXPECT_NE(e.find("snapdelta generate"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
}

TEST_F(Catalog, AMissingClientListsTheClientsThatExist) {
  const std::string e = error_of(data_.string(), "client_3", 1);
  EXPECT_NE(e.find("expected client \"client_3\" in " + data_.string() +
                   ", found clients client_1, client_2, client_10"),
            std::string::npos)
      << e;
  // A folder without drops is no client either: the same message lists the real ones.
  EXPECT_NE(error_of(data_.string(), "notes", 1).find("expected day 1 in "), std::string::npos);
}

TEST(DropCatalog, AMissingDataDirIsNamedAbsolutely) {
  TempDir dir("catalog");
  const fs::path cwd = fs::current_path();
  fs::current_path(dir.path());
  const std::string e = error_of("nowhere/", "client_1", 2);
  fs::current_path(cwd);
  EXPECT_EQ(e.rfind("nowhere/client_1/transactions_day_2.zip: ", 0), 0u) << e;
  EXPECT_NE(
      e.find("expected a data directory at " + (dir.path() / "nowhere").string() + ", found none"),
      std::string::npos)
      << e;
}

TEST(DropCatalog, ADataDirWithoutClientsSaysSo) {
  TempDir dir("catalog");
  fs::create_directories(dir.path() / "data");
  const std::string e = error_of(dir / "data", "c", 1);
  EXPECT_NE(e.find("found no client folders with drops"), std::string::npos) << e;
}
