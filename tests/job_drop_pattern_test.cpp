// Tests for src/job's drop-name patterns and date formats: {client} with {day} or
// {date:FORMAT}, format and match as inverses, keys that sort as the drops do, the near misses
// why_not() explains, and the pattern and date-format problems.
#include <gtest/gtest.h>

#include <string>

#include "common/date.h"
#include "job/date_format.h"
#include "job/drop_pattern.h"

using namespace snapdelta;

namespace {

DropPattern compiled(const std::string& text) {
  const std::optional<DropPattern> p = DropPattern::compile(text);
  EXPECT_TRUE(p.has_value()) << DropPattern::problem(text);
  return *p;
}

}  // namespace

TEST(DropPattern, DayFormatAndMatch) {
  const DropPattern p = compiled("{client}/transactions_day_{day}.zip");
  EXPECT_FALSE(p.keyed_by_date());
  EXPECT_EQ(p.format("client_1", 3), "client_1/transactions_day_3.zip");
  EXPECT_EQ(p.match("client_1/transactions_day_3.zip"), (DropKey{"client_1", 3}));
  EXPECT_EQ(p.match("client_1/transactions_day_120.zip"), (DropKey{"client_1", 120}));
  EXPECT_EQ(p.match("client_1/transactions_day_03.zip"), std::nullopt);
  EXPECT_EQ(p.match("client_1/transactions_day_0.zip"), std::nullopt);
  EXPECT_EQ(p.match("client_1/transactions_day_.zip"), std::nullopt);
  EXPECT_EQ(p.match("a/b/transactions_day_3.zip"), std::nullopt);
  EXPECT_EQ(p.match("/transactions_day_3.zip"), std::nullopt);
  EXPECT_EQ(p.match("client_1/transactions_day_3.zip.tmp"), std::nullopt);
}

TEST(DropPattern, ClientInsideAName) {
  const DropPattern p = compiled("exports/{client}_{day}.csv");
  EXPECT_EQ(p.match("exports/acme_co_12.csv"), (DropKey{"acme_co", 12}));
  EXPECT_EQ(p.format("acme_co", 12), "exports/acme_co_12.csv");
}

TEST(DropPattern, DateKeysAreDaysAndSortByDate) {
  const DropPattern p = compiled("{client}/billing_{date:%Y%m%d}.csv.gz");
  EXPECT_TRUE(p.keyed_by_date());
  const int32_t jan31 = days_from_civil(2024, 1, 31);
  EXPECT_EQ(p.match("acme/billing_20240131.csv.gz"), (DropKey{"acme", jan31}));
  EXPECT_EQ(p.format("acme", jan31 + 1), "acme/billing_20240201.csv.gz");
  EXPECT_LT(p.match("acme/billing_20241231.csv.gz")->key,
            p.match("acme/billing_20250101.csv.gz")->key);
  EXPECT_EQ(p.match("acme/billing_20240230.csv.gz"), std::nullopt);
  EXPECT_EQ(p.match("acme/billing_2024013.csv.gz"), std::nullopt);
  const DropPattern yday = compiled("{client}/{date:%Y-%j}.zip");
  EXPECT_EQ(yday.match("c/2024-060.zip"), (DropKey{"c", days_from_civil(2024, 2, 29)}));
  EXPECT_EQ(yday.format("c", days_from_civil(2023, 12, 31)), "c/2023-365.zip");
}

TEST(DropPattern, WhyNotExplainsNearMisses) {
  const DropPattern p = compiled("{client}/transactions_day_{day}.zip");
  EXPECT_EQ(p.why_not("client_1/transactions_day_3.zip"), std::nullopt);
  EXPECT_EQ(p.why_not("client_1/transactions_day_03.zip"),
            "client_1/transactions_day_03.zip: leading zero; the pattern reads 3 as "
            "client_1/transactions_day_3.zip");
  EXPECT_EQ(p.why_not("client_1/Transactions_Day_3.zip"),
            "client_1/Transactions_Day_3.zip: other case; the pattern reads "
            "client_1/transactions_day_3.zip");
  EXPECT_EQ(p.why_not("client_1/transactions_day_3.ZIP"),
            "client_1/transactions_day_3.ZIP: other case; the pattern reads "
            "client_1/transactions_day_3.zip");
  EXPECT_EQ(p.why_not("client_1/transactions_day_3.csv.gz"),
            "client_1/transactions_day_3.csv.gz: other extension .csv.gz; the pattern reads "
            "client_1/transactions_day_3.zip");
  EXPECT_EQ(p.why_not("client_1/notes.txt"),
            "client_1/notes.txt: does not match the pattern {client}/transactions_day_{day}.zip");
  EXPECT_EQ(p.why_not("client_1/transactions_day_0.zip"),
            "client_1/transactions_day_0.zip: 0 is not a day; days start at 1");
  EXPECT_EQ(p.why_not("client_1/transactions_day_5.zip.tmp"),
            "client_1/transactions_day_5.zip.tmp: other extension .zip.tmp; the pattern reads "
            "client_1/transactions_day_5.zip");
  EXPECT_EQ(p.why_not("client_1/transactions_day_x.zip"),
            "client_1/transactions_day_x.zip: does not match the pattern "
            "{client}/transactions_day_{day}.zip");
}

TEST(DropPattern, WhyNotNamesADateThatIsNoDate) {
  const DropPattern p = compiled("{client}/tx_{date:%Y%m%d}.csv.gz");
  EXPECT_EQ(p.why_not("c/tx_20251117.csv.gz"), std::nullopt);
  EXPECT_EQ(p.why_not("c/tx_2025117.csv.gz"),
            "c/tx_2025117.csv.gz: 2025117 is not a date as %Y%m%d");
  EXPECT_EQ(p.why_not("c/tx_20251332.csv.gz"),
            "c/tx_20251332.csv.gz: 20251332 is not a date as %Y%m%d");
  EXPECT_EQ(p.why_not("c/tx_20251117.csv.gz.part"),
            "c/tx_20251117.csv.gz.part: other extension .csv.gz.part; the pattern reads "
            "c/tx_20251117.csv.gz");
  const DropPattern iso = compiled("{client}/tx_{date:%Y-%m-%d}.csv");
  EXPECT_EQ(iso.why_not("c/tx_2025-02-30.csv"),
            "c/tx_2025-02-30.csv: 2025-02-30 is not a date as %Y-%m-%d");
}

TEST(DropPattern, Problems) {
  EXPECT_EQ(DropPattern::problem("{client}/d_{day}.zip"), "");
  EXPECT_EQ(DropPattern::problem("d_{day}.zip"),
            "expected a pattern with {client} once and {day} or {date:FORMAT} once, found "
            "\"d_{day}.zip\"");
  EXPECT_EQ(DropPattern::problem("{client}/{client}_{day}.zip"),
            "expected a pattern with {client} once and {day} or {date:FORMAT} once, found "
            "\"{client}/{client}_{day}.zip\"");
  EXPECT_EQ(DropPattern::problem("{client}/{day}_{date:%Y%m%d}.zip"),
            "expected a pattern with {client} once and {day} or {date:FORMAT} once, found "
            "\"{client}/{day}_{date:%Y%m%d}.zip\"");
  EXPECT_EQ(DropPattern::problem("{client}{day}.zip"),
            "expected text between {client} and {day} in the pattern, found "
            "\"{client}{day}.zip\"");
  EXPECT_EQ(DropPattern::problem("/abs/{client}/{day}.zip"),
            "expected a pattern relative to the data dir, found \"/abs/{client}/{day}.zip\"");
  EXPECT_EQ(DropPattern::problem("{client}/day}.zip"),
            "expected '{' before '}' in the pattern, found \"{client}/day}.zip\"");
  EXPECT_EQ(DropPattern::problem("{client}/{date:%Y%m}.zip"),
            "expected a date format of %Y, %m, %d or %j, %% and literal text, with %Y and either "
            "%m and %d or %j, found \"%Y%m\"");
  EXPECT_EQ(DropPattern::problem("{client}/{day"),
            "expected {client}, {day} or {date:FORMAT} in the pattern, found \"{\"");
}

TEST(JobDateFormat, ParsesExactlyWhatItFormats) {
  const DateFormat f = *DateFormat::compile("%d/%m/%Y");
  EXPECT_EQ(f.width(), 10u);
  EXPECT_EQ(f.parse("31/01/2024"), days_from_civil(2024, 1, 31));
  EXPECT_EQ(f.parse("29/02/2023"), std::nullopt);
  EXPECT_EQ(f.parse("1/2/2024"), std::nullopt);
  EXPECT_EQ(f.parse("31/01/2024 "), std::nullopt);
  EXPECT_EQ(f.parse("00/01/2024"), std::nullopt);
  EXPECT_EQ(f.parse("01/13/2024"), std::nullopt);
  EXPECT_EQ(f.format(days_from_civil(1999, 12, 5)), "05/12/1999");
  const DateFormat percent = *DateFormat::compile("%Y%%%m%%%d");
  EXPECT_EQ(percent.format(days_from_civil(2024, 3, 4)), "2024%03%04");
  EXPECT_EQ(percent.parse("2024%03%04"), days_from_civil(2024, 3, 4));
  const DateFormat iso = *DateFormat::compile("%Y-%m-%d");
  for (int32_t d = days_from_civil(1899, 12, 1); d < days_from_civil(2101, 3, 1); ++d)
    ASSERT_EQ(iso.parse(iso.format(d)), d) << iso.format(d);
}

TEST(JobDateFormat, Problems) {
  EXPECT_EQ(DateFormat::problem("%Y-%m-%d"), "");
  EXPECT_EQ(DateFormat::problem("%Y-%j"), "");
  EXPECT_EQ(DateFormat::problem("%Y-%m"),
            "expected a date format of %Y, %m, %d or %j, %% and literal text, with %Y and either "
            "%m and %d or %j, found \"%Y-%m\"");
  EXPECT_EQ(DateFormat::problem("%Y-%m-%d-%j"),
            "expected a date format of %Y, %m, %d or %j, %% and literal text, with %Y and either "
            "%m and %d or %j, found \"%Y-%m-%d-%j\"");
  EXPECT_EQ(DateFormat::problem("%Y-%m-%e"),
            "expected a date format of %Y, %m, %d or %j, %% and literal text, with %Y and either "
            "%m and %d or %j, found \"%e\" in \"%Y-%m-%e\"");
  EXPECT_EQ(DateFormat::problem("%Y-%m-%d%"),
            "expected a date format of %Y, %m, %d or %j, %% and literal text, with %Y and either "
            "%m and %d or %j, found \"%\" in \"%Y-%m-%d%\"");
}

namespace snapdelta {
namespace {

TEST(DropPatternKeys, DaysAndDatesReadAndWriteAsPeopleNameThem) {
  const DropPattern days = *DropPattern::compile("{client}/d_{day}.zip");
  EXPECT_EQ(days.key_text(12), "12");
  EXPECT_EQ(days.parse_key("12"), 12);
  EXPECT_EQ(days.parse_key("012"), std::nullopt);
  EXPECT_EQ(days.parse_key("2026-11-04"), std::nullopt);
  EXPECT_EQ(days.key_problem("x"), "expected an integer >= 1, found \"x\"");
  const DropPattern dates = *DropPattern::compile("{client}/cost_{date:%Y%m%d}.csv.gz");
  const int64_t nov4 = dates.match("acme/cost_20261104.csv.gz")->key;
  EXPECT_EQ(dates.key_text(nov4), "2026-11-04");
  EXPECT_EQ(dates.parse_key("2026-11-04"), nov4);
  EXPECT_EQ(dates.parse_key("20261104"), nov4);
  EXPECT_EQ(dates.parse_key("2026-02-30"), std::nullopt);
  EXPECT_EQ(dates.key_problem("12"),
            "expected a date as YYYY-MM-DD or %Y%m%d (the pattern "
            "{client}/cost_{date:%Y%m%d}.csv.gz is keyed by date), found \"12\"");
}

}  // namespace
}  // namespace snapdelta
