// Tests for `snapdelta generate` (src/generate): file layout, CSV format, the cumulative prefix
// property (in the CSV and in the deflate stream), determinism, value ranges, late rows, the SKU
// long tail and option validation. Sizes are small so the suite stays fast.
#include <gtest/gtest.h>
#include <minizip/unzip.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "common/date.h"
#include "common/error.h"
#include "generate/csv_writer.h"
#include "generate/generator.h"
#include "generate/sku_popularity.h"
#include "generate/zip_writer.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace snapdelta;
using namespace snapdelta::generate;

namespace {

struct ZipContent {
  std::vector<std::string> names;
  std::string csv;      // the inflated entry
  std::string deflate;  // the raw compressed entry
};

std::string read_current(unzFile uf, bool raw) {
  int method = 0, level = 0;
  EXPECT_EQ(unzOpenCurrentFile2(uf, &method, &level, raw ? 1 : 0), UNZ_OK);
  EXPECT_EQ(method, Z_DEFLATED);
  std::string out;
  char buf[1 << 16];
  int n = 0;
  while ((n = unzReadCurrentFile(uf, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  EXPECT_EQ(n, 0);
  EXPECT_EQ(unzCloseCurrentFile(uf), UNZ_OK);  // checks the CRC when not raw
  return out;
}

ZipContent read_zip(const fs::path& path) {
  ZipContent content;
  unzFile uf = unzOpen64(path.c_str());
  if (uf == nullptr) {
    ADD_FAILURE() << "cannot open " << path;
    return content;
  }
  for (int rc = unzGoToFirstFile(uf); rc == UNZ_OK; rc = unzGoToNextFile(uf)) {
    char name[256];
    unz_file_info64 info;
    unzGetCurrentFileInfo64(uf, &info, name, sizeof name, nullptr, 0, nullptr, 0);
    content.names.push_back(name);
  }
  unzGoToFirstFile(uf);
  content.csv = read_current(uf, false);
  content.deflate = read_current(uf, true);
  unzClose(uf);
  return content;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, sep)) parts.push_back(part);
  return parts;
}

struct CsvRow {
  std::string id, date, sku;
  int quantity = 0;
  std::string revenue;
};

std::vector<CsvRow> parse_rows(const std::string& csv) {
  std::vector<CsvRow> rows;
  const auto lines = split(csv, '\n');
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto f = split(lines[i], ',');
    EXPECT_EQ(f.size(), 5u) << lines[i];
    if (f.size() != 5) continue;
    rows.push_back({f[0], f[1], f[2], std::stoi(f[3]), f[4]});
  }
  return rows;
}

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() /
                       ("snapdelta_generate_test_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(dir);
  return dir;
}

fs::path day_zip(const fs::path& dir, int client, int day) {
  return dir / ("client_" + std::to_string(client)) /
         ("transactions_day_" + std::to_string(day) + ".zip");
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Options small_options(const fs::path& dir) {
  Options o;
  o.data_dir = dir.string();
  o.clients = 3;
  o.days = 4;
  o.base_rows = 3000;
  o.rows_per_day = 700;
  o.skus = 300;
  o.start_date = "2025-10-01";
  o.seed = 7;
  o.late_fraction = 0.2;
  o.threads = 2;
  return o;
}

// One small generated data set shared by the format tests.
class SmallRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fresh_dir("small"));
    summary_ = run(small_options(*dir_));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static std::string csv(int client, int day) { return read_zip(day_zip(*dir_, client, day)).csv; }

  static fs::path* dir_;
  static Summary summary_;
};
fs::path* SmallRun::dir_ = nullptr;
Summary SmallRun::summary_;

constexpr int kClients = 3, kDays = 4, kBase = 3000, kPerDay = 700;

}  // namespace

TEST_F(SmallRun, WritesOneZipPerClientAndDayHoldingOneNamedEntry) {
  for (int c = 1; c <= kClients; ++c) {
    for (int k = 1; k <= kDays; ++k) {
      const ZipContent z = read_zip(day_zip(*dir_, c, k));
      ASSERT_EQ(z.names.size(), 1u);
      EXPECT_EQ(z.names[0], "transactions_day_" + std::to_string(k) + ".csv");
    }
    EXPECT_FALSE(fs::exists(day_zip(*dir_, c, kDays + 1)));
  }
  for (const auto& entry : fs::recursive_directory_iterator(*dir_)) {
    EXPECT_NE(entry.path().extension(), ".tmp") << entry.path();
  }
  EXPECT_EQ(summary_.files, static_cast<uint64_t>(kClients * kDays));
  EXPECT_EQ(summary_.rows, static_cast<uint64_t>(kClients * (kBase + (kDays - 1) * kPerDay)));
  EXPECT_GT(summary_.bytes, 0u);
}

TEST_F(SmallRun, CsvHasExactHeaderLfEndingsAndRowCounts) {
  for (int k = 1; k <= kDays; ++k) {
    const std::string text = csv(1, k);
    EXPECT_EQ(text.rfind("transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n", 0),
              0u);
    EXPECT_EQ(text.find('\r'), std::string::npos);
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    const auto lines = std::count(text.begin(), text.end(), '\n');
    EXPECT_EQ(lines, 1 + kBase + (k - 1) * kPerDay);
  }
}

TEST_F(SmallRun, EachDayStartsWithThePreviousDay) {
  for (int c = 1; c <= kClients; ++c) {
    std::string previous = csv(c, 1);
    for (int k = 2; k <= kDays; ++k) {
      const std::string current = csv(c, k);
      EXPECT_EQ(current.compare(0, previous.size(), previous), 0) << "client " << c << " day " << k;
      previous = current;
    }
  }
}

TEST_F(SmallRun, ClientsGetDifferentRows) {
  EXPECT_NE(csv(1, kDays), csv(2, kDays));
  EXPECT_NE(csv(2, kDays), csv(3, kDays));
}

TEST_F(SmallRun, IdsStartAtOneAndIncrease) {
  const auto rows = parse_rows(csv(2, kDays));
  ASSERT_EQ(rows.size(), static_cast<size_t>(kBase + (kDays - 1) * kPerDay));
  for (size_t i = 0; i < rows.size(); ++i) {
    char expected[32];
    std::snprintf(expected, sizeof expected, "TXN_%010zu", i + 1);
    ASSERT_EQ(rows[i].id, expected);
  }
}

TEST_F(SmallRun, DatesAreTheDayOrUpToThreeDaysEarlierForTheLateShare) {
  int32_t start = 0;
  ASSERT_TRUE(parse_date("2025-10-01", &start));
  const auto rows = parse_rows(csv(1, kDays));
  size_t i = 0;
  for (int k = 1; k <= kDays; ++k) {
    const int n = k == 1 ? kBase : kPerDay;
    const int32_t day_date = start + k - 1;
    int late = 0;
    for (int j = 0; j < n; ++j, ++i) {
      int32_t date = 0;
      ASSERT_TRUE(parse_date(rows[i].date, &date)) << rows[i].date;
      const int back = day_date - date;
      ASSERT_GE(date, start);
      ASSERT_GE(back, 0);
      ASSERT_LE(back, std::min(3, k - 1));
      late += back > 0 ? 1 : 0;
    }
    EXPECT_EQ(late, k == 1 ? 0 : kPerDay / 5) << "day " << k;  // late fraction 0.2
  }
}

TEST_F(SmallRun, QuantitiesAndRevenuesAreInRangeWithTwoDecimals) {
  const auto rows = parse_rows(csv(3, kDays));
  std::map<int, int> quantities;
  for (const auto& row : rows) {
    ASSERT_GE(row.quantity, 1);
    ASSERT_LE(row.quantity, 10);
    quantities[row.quantity]++;
    const auto dot = row.revenue.find('.');
    ASSERT_NE(dot, std::string::npos);
    ASSERT_EQ(row.revenue.size() - dot, 3u) << row.revenue;
    const long cents =
        std::stol(row.revenue.substr(0, dot)) * 100 + std::stol(row.revenue.substr(dot + 1));
    ASSERT_GE(cents, 500);
    ASSERT_LE(cents, 50000);
    ASSERT_EQ(row.sku.size(), 9u);
    ASSERT_EQ(row.sku.rfind("SKU_", 0), 0u);
    const int sku = std::stoi(row.sku.substr(4));
    ASSERT_GE(sku, 1);
    ASSERT_LE(sku, 300);
  }
  EXPECT_EQ(quantities.size(), 10u);
}

TEST(Generate, DeterministicAcrossRunsAndThreadCounts) {
  const fs::path a = fresh_dir("det_a"), b = fresh_dir("det_b"), c = fresh_dir("det_c");
  Options o = small_options(a);
  o.threads = 1;
  run(o);
  o.data_dir = b.string();
  o.threads = 2;
  run(o);
  o.data_dir = c.string();
  o.seed = 8;
  run(o);
  for (int client = 1; client <= kClients; ++client) {
    for (int k = 1; k <= kDays; ++k) {
      EXPECT_EQ(slurp(day_zip(a, client, k)), slurp(day_zip(b, client, k)));
      EXPECT_NE(slurp(day_zip(a, client, k)), slurp(day_zip(c, client, k)));
    }
  }
  fs::remove_all(a);
  fs::remove_all(b);
  fs::remove_all(c);
}

// ~200K rows: the long tail and the shared compressed prefix are measurable at this size.
class LargerRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fresh_dir("larger"));
    Options o;
    o.data_dir = dir_->string();
    o.clients = 1;
    o.days = 3;
    o.base_rows = 150000;
    o.rows_per_day = 25000;
    o.skus = 5000;
    run(o);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static fs::path* dir_;
};
fs::path* LargerRun::dir_ = nullptr;

TEST_F(LargerRun, TopFifthOfSkusCarriesMostRows) {
  const auto rows = parse_rows(read_zip(day_zip(*dir_, 1, 3)).csv);
  ASSERT_EQ(rows.size(), 200000u);
  std::map<std::string, int> counts;
  for (const auto& row : rows) counts[row.sku]++;
  std::vector<int> sorted;
  for (const auto& [sku, n] : counts) sorted.push_back(n);
  std::sort(sorted.rbegin(), sorted.rend());
  long top = 0;
  for (size_t i = 0; i < std::min<size_t>(1000, sorted.size()); ++i) top += sorted[i];
  const double share = static_cast<double>(top) / rows.size();
  EXPECT_GT(share, 0.70);
  EXPECT_LT(share, 0.90);
}

TEST_F(LargerRun, DeflateStreamsShareAllButTheirLastBytes) {
  for (int k = 1; k < 3; ++k) {
    const std::string a = read_zip(day_zip(*dir_, 1, k)).deflate;
    const std::string b = read_zip(day_zip(*dir_, 1, k + 1)).deflate;
    ASSERT_GT(a.size(), 65536u * 4);
    const size_t shared = a.size() - 65536;
    EXPECT_EQ(a.compare(0, shared, b, 0, shared), 0) << "day " << k;
  }
}

TEST(SkuPopularity, FollowsTheParetoEightyTwentyRule) {
  const SkuPopularity skus(5000, 42);
  double top = 0, all = 0;
  for (uint32_t r = 0; r < skus.size(); ++r) {
    all += skus.share_of_rank(r);
    if (r < 1000) top += skus.share_of_rank(r);
  }
  EXPECT_NEAR(all, 1.0, 1e-9);
  EXPECT_NEAR(top, 0.80, 0.005);
  // The same seed gives the same popular SKUs; another seed, others.
  Rng r1(1), r2(1), r3(1);
  const SkuPopularity same(5000, 42), other(5000, 43);
  int differ = 0;
  for (int i = 0; i < 100; ++i) {
    const uint32_t x = skus.sample(r1);
    EXPECT_EQ(x, same.sample(r2));
    differ += x != other.sample(r3) ? 1 : 0;
    EXPECT_GE(x, 1u);
    EXPECT_LE(x, 5000u);
  }
  EXPECT_GT(differ, 50);
}

TEST(CsvRowWriter, FormatsFieldsExactly) {
  int32_t date = 0;
  ASSERT_TRUE(parse_date("2025-10-03", &date));
  char buf[CsvRowWriter::kMaxRowBytes * 2];
  CsvRowWriter five(CsvRowWriter::sku_digits_for(5000));
  char* end = five.append(buf, Row{42, date, 7, 10, 500});
  end = five.append(end, Row{12345678901, date, 99999, 1, 50000});
  EXPECT_EQ(std::string(buf, end),
            "TXN_0000000042,2025-10-03,SKU_00007,10,5.00\n"
            "TXN_12345678901,2025-10-03,SKU_99999,1,500.00\n");
  CsvRowWriter six(CsvRowWriter::sku_digits_for(100000));
  end = six.append(buf, Row{1, date, 5, 3, 1234});
  EXPECT_EQ(std::string(buf, end), "TXN_0000000001,2025-10-03,SKU_000005,3,12.34\n");
}

TEST(ZipWriter, Zip64RecordsReadBack) {
  const fs::path dir = fresh_dir("zip64");
  fs::create_directories(dir);
  const std::string text = "transaction_id\nhello\n";
  // A stored-style raw deflate stream: one final stored block.
  std::vector<uint8_t> stream = {0x01, static_cast<uint8_t>(text.size()), 0,
                                 static_cast<uint8_t>(~text.size()), 0xFF};
  stream.insert(stream.end(), text.begin(), text.end());
  ZipEntry entry;
  entry.name = "x.csv";
  entry.deflate_pieces = {std::span<const uint8_t>(stream.data(), 3),
                          std::span<const uint8_t>(stream.data() + 3, stream.size() - 3)};
  entry.uncompressed_size = text.size();
  entry.crc32 = static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size())));
  entry.force_zip64 = true;
  write_zip((dir / "x.zip").string(), entry);
  EXPECT_EQ(read_zip(dir / "x.zip").csv, text);
  EXPECT_FALSE(fs::exists(dir / "x.zip.tmp"));
  EXPECT_TRUE(needs_zip64(0xFFFFFFFFULL, 1));
  EXPECT_FALSE(needs_zip64(0xFFFFFFFEULL, 0xFFFFFFFEULL));
  fs::remove_all(dir);
}

TEST(Generate, RejectsBadOptionsWithOneLine) {
  const fs::path dir = fresh_dir("invalid");
  auto expect_error = [&](auto mutate, const std::string& option) {
    Options o = small_options(dir);
    mutate(o);
    try {
      run(o);
      ADD_FAILURE() << "no error for " << option;
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind(option + ": expected", 0), 0u) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos);
    }
  };
  expect_error([](Options& o) { o.clients = 0; }, "--clients");
  expect_error([](Options& o) { o.days = 0; }, "--days");
  expect_error([](Options& o) { o.base_rows = -1; }, "--base-rows");
  expect_error([](Options& o) { o.rows_per_day = -5; }, "--rows-per-day");
  expect_error([](Options& o) { o.skus = 0; }, "--skus");
  expect_error([](Options& o) { o.start_date = "2025-02-30"; }, "--start-date");
  expect_error([](Options& o) { o.start_date = "tomorrow"; }, "--start-date");
  expect_error([](Options& o) { o.late_fraction = 1.5; }, "--late-fraction");
  expect_error([](Options& o) { o.late_fraction = -0.1; }, "--late-fraction");
  expect_error([](Options& o) { o.threads = -1; }, "--threads");
  EXPECT_FALSE(fs::exists(dir));  // nothing written on error
}

TEST(Generate, ZeroRowsGiveHeaderOnlyFiles) {
  const fs::path dir = fresh_dir("empty");
  Options o = small_options(dir);
  o.clients = 1;
  o.days = 2;
  o.base_rows = 0;
  o.rows_per_day = 0;
  const Summary s = run(o);
  EXPECT_EQ(s.rows, 0u);
  EXPECT_EQ(read_zip(day_zip(dir, 1, 2)).csv, std::string(kCsvHeader));
  fs::remove_all(dir);
}

// ---- existing drops: never rewrite history silently ---------------------------------------------

namespace {

std::string error_of(const Options& o) {
  try {
    run(o);
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = slurp(e.path());
  return files;
}

}  // namespace

TEST(GenerateExisting, RecordsItsOptionsInAManifest) {
  const fs::path dir = fresh_dir("manifest");
  run(small_options(dir));
  const std::string m = slurp(dir / "snapdelta-generate.json");
  for (const char* part :
       {"\"seed\":7", "\"base_rows\":3000", "\"rows_per_day\":700", "\"skus\":300",
        "\"start_date\":\"2025-10-01\"", "\"late_fraction\":0.2", "\"clients\":3", "\"days\":4"}) {
    EXPECT_NE(m.find(part), std::string::npos) << part << " in " << m;
  }
  fs::remove_all(dir);
}

TEST(GenerateExisting, TheSameOptionsAgainWriteNothingAndSaySo) {
  const fs::path dir = fresh_dir("same");
  Options o = small_options(dir);
  run(o);
  const auto before = snapshot(dir);
  const auto mtime = fs::last_write_time(day_zip(dir, 1, 1));
  o.threads = 1;  // threads do not change the drops
  const Summary s = run(o);
  EXPECT_TRUE(s.unchanged);
  EXPECT_EQ(s.files, 0u);
  EXPECT_EQ(snapshot(dir), before);
  EXPECT_EQ(fs::last_write_time(day_zip(dir, 1, 1)), mtime) << "a no-op rewrote a drop";
  EXPECT_EQ(describe(o, s), dir.string() +
                                " already holds these drops (3 clients x 4 days, same options): "
                                "nothing written");
  fs::remove_all(dir);
}

TEST(GenerateExisting, OtherOptionsAreRefusedNamingTheFolderAndEachDifference) {
  const fs::path dir = fresh_dir("other");
  Options o = small_options(dir);
  run(o);
  const auto before = snapshot(dir);
  o.seed = 8;
  o.rows_per_day = 800;
  const std::string e = error_of(o);
  EXPECT_EQ(e, dir.string() +
                   ": expected the options its drops were generated with, found --seed 8 (was 7), "
                   "--rows-per-day 800 (was 700) (pass --force to overwrite them)");
  EXPECT_EQ(snapshot(dir), before) << "a refused run changed the data";
  fs::remove_all(dir);
}

TEST(GenerateExisting, ForceOverwritesAndRemovesTheOldHistorysOtherDrops) {
  const fs::path dir = fresh_dir("force");
  const fs::path ref = fresh_dir("force_ref");
  Options o = small_options(dir);
  run(o);
  o.seed = 9;
  o.days = 2;
  o.clients = 2;
  o.overwrite = Overwrite::force;
  run(o);
  Options r = o;
  r.data_dir = ref.string();
  r.overwrite = Overwrite::refuse;
  run(r);
  EXPECT_EQ(snapshot(dir), snapshot(ref)) << "forced drops differ from a fresh run's";
  EXPECT_FALSE(fs::exists(day_zip(dir, 1, 3))) << "a drop of the old history is left";
  EXPECT_FALSE(fs::exists(day_zip(dir, 3, 1))) << "a drop of the old history is left";
  fs::remove_all(dir);
  fs::remove_all(ref);
}

TEST(GenerateExisting, MoreDaysOrClientsOverTheSameOptionsOnlyAdd) {
  const fs::path dir = fresh_dir("grow");
  Options o = small_options(dir);
  o.days = 2;
  run(o);
  const auto before = snapshot(dir);
  o.days = 4;
  o.clients = 4;
  const Summary s = run(o);
  EXPECT_FALSE(s.unchanged);
  const auto after = snapshot(dir);
  for (const auto& [name, bytes] : before) {
    if (name == "snapdelta-generate.json") continue;
    EXPECT_EQ(after.at(name), bytes) << name << " changed: history was rewritten";
  }
  EXPECT_TRUE(fs::exists(day_zip(dir, 4, 4)));
  EXPECT_NE(slurp(dir / "snapdelta-generate.json").find("\"days\":4"), std::string::npos);
  // Fewer days afterwards: nothing to write, the record keeps the larger shape.
  o.days = 3;
  EXPECT_TRUE(run(o).unchanged);
  EXPECT_NE(slurp(dir / "snapdelta-generate.json").find("\"days\":4"), std::string::npos);
  fs::remove_all(dir);
}

TEST(GenerateExisting, DropsWithoutAManifestAreRefusedUnlessForced) {
  const fs::path dir = fresh_dir("unknown");
  Options o = small_options(dir);
  run(o);
  fs::remove(dir / "snapdelta-generate.json");
  const std::string e = error_of(o);
  EXPECT_EQ(e.rfind(dir.string() + ": expected no drops without a snapdelta-generate.json", 0), 0u)
      << e;
  EXPECT_NE(e.find("client_1, client_2, client_3"), std::string::npos) << e;
  o.overwrite = Overwrite::force;
  EXPECT_FALSE(run(o).unchanged);
  EXPECT_TRUE(fs::exists(dir / "snapdelta-generate.json"));
  fs::remove_all(dir);
}

TEST(GenerateExisting, SummaryCountsInTheSingularWhenThereIsOne) {
  Options o;
  o.clients = 1;
  o.days = 1;
  Summary s;
  s.rows = 1;
  s.files = 1;
  s.bytes = 1;
  s.seconds = 0.5;
  EXPECT_EQ(describe(o, s), "generated 1 row (1 client x 1 day) in 1 file, 1 byte, 0.50 s");
  o.clients = 2;
  o.days = 10;
  s.rows = 3;
  s.files = 20;
  s.bytes = 300;
  EXPECT_EQ(describe(o, s),
            "generated 3 rows (2 clients x 10 days) in 20 files, 300 bytes, 0.50 s");
}

// Through the binary: the refusal is one line with exit code 2, --force goes through.
TEST(GenerateExisting, TheCommandRefusesWithExitCode2AndForceGoesThrough) {
  const fs::path dir = fresh_dir("cli");
  fs::create_directories(dir);
  const std::string data = (dir / "data").string();
  const std::vector<std::string> base = {
      "generate", "--data-dir",     data, "--clients", "1",  "--days",    "2", "--base-rows",
      "200",      "--rows-per-day", "50", "--skus",    "20", "--threads", "1"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    return test::run_snapdelta(a, dir.string());
  };
  const test::ProcessResult first = with({});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out.rfind("generated 250 rows (1 client x 2 days) in 2 files, ", 0), 0u)
      << first.out;
  const test::ProcessResult again = with({});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(
      again.out,
      data + " already holds these drops (1 client x 2 days, same options): nothing written\n");
  const test::ProcessResult other = with({"--seed", "5"});
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_EQ(other.out, "");
  EXPECT_EQ(other.err, data +
                           ": expected the options its drops were generated with, found --seed 5 "
                           "(was 42) (pass --force to overwrite them)\n");
  const test::ProcessResult forced = with({"--seed", "5", "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(with({"--seed", "5"}).exit_code, 0);
  fs::remove_all(dir);
}

// Adding days never rewrites an existing drop whose bytes would not change: its mtime (set back
// to a known past time first) stays as it was, while the new day is written.
TEST(Generate, AddingDaysLeavesTheExistingDropsUntouched) {
  test::TempDir dir("gen_mtime");
  const std::string data = dir / "data";
  auto generate = [&](int days) {
    const test::ProcessResult r = test::run_snapdelta(
        {"generate", "--data-dir", data, "--clients", "1", "--days", std::to_string(days),
         "--base-rows", "100", "--rows-per-day", "10", "--skus", "5"},
        dir.str());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  generate(2);
  const std::filesystem::file_time_type past =
      std::filesystem::last_write_time(test::day_path(data, "client_1", 1)) - std::chrono::hours(1);
  for (int day : {1, 2})
    std::filesystem::last_write_time(test::day_path(data, "client_1", day), past);
  generate(3);
  for (int day : {1, 2})
    EXPECT_EQ(std::filesystem::last_write_time(test::day_path(data, "client_1", day)), past) << day;
  EXPECT_GT(std::filesystem::last_write_time(test::day_path(data, "client_1", 3)), past);
  EXPECT_FALSE(std::filesystem::exists(test::day_path(data, "client_1", 1) + ".tmp"));
}
