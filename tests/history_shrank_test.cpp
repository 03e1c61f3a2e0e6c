// A drop whose CSV is shorter than what the state consumed, in every container read as a byte
// stream (gzip, plain CSV, zstd): day 4 is day 3's CSV cut at a row boundary, or in the middle of
// a row. Each says so in the words a shrunken zip uses ("history changed at line L (history shrank
// from N to M rows)"), with --on-history-change rebuild (rebuilt, exact) and fail (refused,
// nothing written); a row cut short cannot be rebuilt: its parse error says that history shrank
// too.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "generate/generator.h"
#include "test_support.h"

using namespace snapdelta;
using test::TempDir;

namespace {

constexpr int kRows = 2600;  // day 3: 2000 base rows and 300 a day

struct Case {
  generate::Container container;
  std::string extension;
  std::string (*pack)(const std::string&);
};

std::string as_is(const std::string& text) { return text; }

const Case kCases[] = {{generate::Container::gzip, "csv.gz", test::gzip_of},
                       {generate::Container::csv, "csv", as_is},
                       {generate::Container::zstd, "csv.zst", test::zstd_of}};

generate::Options history(const std::string& dir, generate::Container container) {
  generate::Options g;
  g.data_dir = dir;
  g.clients = 1;
  g.days = 3;
  g.base_rows = 2000;
  g.rows_per_day = 300;
  g.threads = 1;
  g.container = container;
  return g;
}

// The first `lines` whole lines of `text`, and `more` bytes of the next.
std::string cut(const std::string& text, size_t lines, size_t more) {
  size_t at = 0;
  for (size_t i = 0; i < lines; ++i) at = text.find('\n', at) + 1;
  return text.substr(0, at + more);
}

class HistoryShrank : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    const Case& c = GetParam();
    generate::run(history(dir_ / "data", c.container));
    generate::run(history(dir_ / "plain", generate::Container::csv));
    day3_ = test::read_file(dir_ / "plain/client_1/transactions_day_3.csv");
    day4_ = dir_ / ("data/client_1/transactions_day_4." + c.extension);
    run(3, HistoryPolicy::rebuild);
    before_ = test::db_rows(db_, "client_1");
  }
  RunReport run(int day, HistoryPolicy policy) {
    RunOptions o;
    o.client = "client_1";
    o.day = day;
    o.data_dir = dir_ / "data";
    o.job = &test::builtin_job_named("{client}/transactions_day_{day}." + GetParam().extension);
    o.db_path = db_;
    o.busy_timeout_ms = 10000;
    o.on_history_change = policy;
    return run_pipeline(o);
  }
  std::string error_of(HistoryPolicy policy) {
    try {
      run(4, policy);
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  }
  void write_day4(const std::string& text) { test::write_file(day4_, GetParam().pack(text)); }

  TempDir dir_{"shrank"};
  std::string db_ = dir_ / "inc.db";
  std::string day3_, day4_;
  std::vector<test::RefRow> before_;
};

TEST_P(HistoryShrank, CutAtARowBoundaryIsRebuiltOrRefusedSayingItShrank) {
  const std::string day4 = cut(day3_, 1 + kRows - 112, 0);
  const std::string words = "history changed at line 2490 (history shrank from 2600 to 2488 rows)";
  write_day4(day4);
  EXPECT_EQ(error_of(HistoryPolicy::fail),
            day4_ + ": " + words + "; client_1 left as it was (--on-history-change fail)");
  EXPECT_EQ(test::db_rows(db_, "client_1"), before_);
  const RunReport r = run(4, HistoryPolicy::rebuild);
  EXPECT_EQ(to_string(r.path), "rebuilt");
  EXPECT_EQ(r.rebuilt, words);
  EXPECT_EQ(r.rows_in_file, 2488u);
  EXPECT_EQ(test::db_rows(db_, "client_1"), test::reference_rows(day4));
}

TEST_P(HistoryShrank, CutInsideARowIsRefusedSayingItShrankWithEitherPolicy) {
  const std::string row = cut(day3_, 2491, 0).substr(cut(day3_, 2490, 0).size());
  const size_t keep = row.find(',', row.find(',') + 1) + 3;  // two fields and a bit of the third
  write_day4(cut(day3_, 2490, keep));
  const std::string words = "history changed at line 2491 (history shrank from 2600 to 2489 rows)";
  EXPECT_EQ(error_of(HistoryPolicy::fail),
            day4_ + ": " + words + "; client_1 left as it was (--on-history-change fail)");
  EXPECT_EQ(error_of(HistoryPolicy::rebuild),
            fmt::format("{}:2491:{}: expected 5 fields, found 3; {}; client_1 left as it was",
                        day4_, keep + 1, words));
  EXPECT_EQ(test::db_rows(db_, "client_1"), before_);
}

INSTANTIATE_TEST_SUITE_P(Containers, HistoryShrank, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(generate::container_option(info.param.container));
                         });

}  // namespace
