// Tests for src/job's infer: types guessed from the first rows (int, decimal with its most
// fraction digits, a date only when one format reads every value, string), nulls, usable names
// for unusable headers, the proposed table, the pattern from a drop's path, and that the
// proposal reads back with parse_job once its table is uncommented.
#include <gtest/gtest.h>

#include <string>

#include "common/error.h"
#include "common/number_text.h"
#include "job/column_guess.h"
#include "job/infer.h"
#include "job/job_file.h"

using namespace snapdelta;

namespace {

std::string uncomment_table(std::string text) {
  std::string out;
  size_t at = 0;
  bool in_table = false;
  while (at < text.size()) {
    const size_t end = text.find('\n', at);
    std::string line = text.substr(at, end - at);
    at = end + 1;
    if (line.starts_with("# [[table]]")) in_table = true;
    if (in_table && line.starts_with("# ")) line = line.substr(2);
    out += line + "\n";
  }
  return out;
}

ColumnType guessed(const std::vector<std::string>& values) { return guess_column(values).type; }

}  // namespace

TEST(Infer, GuessesTypes) {
  EXPECT_EQ(guessed({"1", "-20", "300"}), (ColumnType{ColumnKind::int64, "", 0}));
  EXPECT_EQ(guessed({"1", "2.5", "3.125"}), (ColumnType{ColumnKind::decimal, "", 3}));
  EXPECT_EQ(guessed({"2024-01-31", "2024-02-01"}), (ColumnType{ColumnKind::date, "%Y-%m-%d", 0}));
  EXPECT_EQ(guessed({"31/01/2024", "01/02/2024"}), (ColumnType{ColumnKind::date, "%d/%m/%Y", 0}));
  EXPECT_EQ(guessed({"01/02/2024", "03/04/2024"}), (ColumnType{ColumnKind::string, "", 0}));
  EXPECT_EQ(guessed({"12/31/2024"}), (ColumnType{ColumnKind::date, "%m/%d/%Y", 0}));
  EXPECT_EQ(guessed({"1", "x"}), (ColumnType{ColumnKind::string, "", 0}));
  EXPECT_EQ(guessed({"", ""}), (ColumnType{ColumnKind::string, "", 0}));
  EXPECT_EQ(guessed({"99999999999999999999"}), (ColumnType{ColumnKind::string, "", 0}));
  EXPECT_EQ(guessed({"5."}), (ColumnType{ColumnKind::string, "", 0}));
  EXPECT_EQ(guessed({".5"}), (ColumnType{ColumnKind::string, "", 0}));
  const ColumnGuess g = guess_column({"5", "", "5"});
  EXPECT_TRUE(g.saw_null);
  EXPECT_EQ(g.values, 2u);
  EXPECT_EQ(g.distinct, 1u);
}

// A proposed int or decimal reads every sampled value: the guess takes the parser's own rule
// (common/number_text.h), so no value the parser refuses is proposed as a number.
TEST(Infer, NumberGuessesAgreeWithTheParser) {
  int64_t v = 0;
  for (const char* text : {"999999999999999999", "-999999999999999999", "9223372036854775807",
                           "-9223372036854775808", "9223372036854775808"}) {
    const bool parser_takes = parse_int_text(text, &v);
    EXPECT_EQ(guessed({text}).kind == ColumnKind::int64, parser_takes) << text;
    if (!parser_takes) {
      EXPECT_EQ(guessed({text}).kind, ColumnKind::string) << text;
    }
  }
  // Beyond the decimal parser's magnitude (INT64_MAX units): a string, not decimal(2).
  EXPECT_EQ(guessed({"92233720368547758.08"}), (ColumnType{ColumnKind::string, "", 0}));
  EXPECT_EQ(guessed({"1.5", "92233720368547758.08"}), (ColumnType{ColumnKind::string, "", 0}));
  EXPECT_EQ(guessed({"92233720368547758.07"}), (ColumnType{ColumnKind::decimal, "", 2}));
  EXPECT_EQ(guessed({"1.5", "1234567890123456789"}), (ColumnType{ColumnKind::string, "", 0}));
}

std::string infer_error(const std::string& head, const std::string& path) {
  try {
    infer_job(head, path);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Infer, EmptyFileOrAHeaderNameTwiceIsOneLine) {
  EXPECT_EQ(infer_error("", "c/d_1.csv"), "c/d_1.csv: expected a header line, found an empty file");
  EXPECT_EQ(infer_error("\n1,2\n", "c/d_1.csv"),
            "c/d_1.csv:1: expected a header line, found an empty line");
  EXPECT_EQ(infer_error("a,a\n1,2\n", "c/d_1.csv"),
            "c/d_1.csv:1: expected each header name once, found \"a\" at fields 1 and 2");
  EXPECT_EQ(infer_error("x,Cost $,y,Cost $\n1,2,3,4\n", "c/d_1.csv"),
            "c/d_1.csv:1: expected each header name once, found \"Cost $\" at fields 2 and 4");
}

// A proposed pattern that does not read the drop it was made from says so above itself.
TEST(Infer, PatternThatDoesNotMatchItsDrop) {
  EXPECT_EQ(pattern_mismatch("data/c1/rep_7.csv"), "");
  EXPECT_EQ(pattern_mismatch("{client}/rep_{day}.csv"), "");
  EXPECT_EQ(pattern_mismatch("data/c1/rep_007.csv"),
            "rep_007.csv does not match this pattern: leading zero; the pattern reads 7 as "
            "c1/rep_7.csv");
  EXPECT_EQ(pattern_mismatch("data/c1/latest.csv"),
            "latest.csv does not match this pattern: its name has no number or date for {day}");
  const std::string text = infer_job("a,b\n1,2\n", "data/c1/rep_007.csv");
  EXPECT_NE(text.find("[source]\n# rep_007.csv does not match this pattern: leading zero; the "
                      "pattern reads 7 as c1/rep_7.csv; rename the drops or edit the pattern\n"
                      "pattern = \"{client}/rep_{day}.csv\"\n"),
            std::string::npos)
      << text;
}

TEST(Infer, UsableNames) {
  EXPECT_EQ(usable_name("sku_id", 1), "sku_id");
  EXPECT_EQ(usable_name("Cost Total $", 1), "cost_total");
  EXPECT_EQ(usable_name("2nd Account", 1), "c_2nd_account");
  EXPECT_EQ(usable_name("Order", 1), "order_");
  EXPECT_EQ(usable_name("$$", 4), "column_4");
}

TEST(Infer, PatternFromDropPath) {
  EXPECT_EQ(pattern_for_drop("data/client_1/transactions_day_3.zip"),
            "{client}/transactions_day_{day}.zip");
  EXPECT_EQ(pattern_for_drop("exports/acme/cost_20240131.csv.gz"),
            "{client}/cost_{date:%Y%m%d}.csv.gz");
  EXPECT_EQ(pattern_for_drop("acme/cost-2024-01-31.csv"), "{client}/cost-{date:%Y-%m-%d}.csv");
  EXPECT_EQ(pattern_for_drop("acme/cost.csv"), "{client}/cost_{day}.csv");
  EXPECT_EQ(pattern_for_drop("{client}/x_{day}.zip"), "{client}/x_{day}.zip");
}

TEST(Infer, SeedDropProposal) {
  const std::string head =
      "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\r\n"
      "T1,2025-10-01,SKU_1,3,10.5\r\n"
      "T2,2025-10-01,SKU_2,1,4.25\r\n"
      "T3,2025-10-02,SKU_1,2,7\r\n"
      "T4,2025-10-02,SKU_1,5,1.75\r\n"
      "T5,2025-10-0";
  const std::string text = infer_job(head, "data/client_1/transactions_day_3.zip");
  EXPECT_EQ(text,
            "# A job file for data/client_1/transactions_day_3.zip, from its header and first 4 "
            "rows: check the types and names.\n"
            "[source]\npattern = \"{client}/transactions_day_{day}.zip\"\n\n"
            "[csv]\ndelimiter = \",\"\nquote = '\"'\nheader = true\nnull = []\n\n"
            "[columns]\n"
            "transaction_id = \"string\"\n"
            "transaction_date = \"date\"\n"
            "sku_id = \"string\"\n"
            "quantity_sold = \"int\"\n"
            "revenue_usd = \"decimal(2)\"\n"
            "\n# One table to start with: uncomment it and edit its keys and measures.\n"
            "# [[table]]\n# name = \"daily_totals\"\n"
            "# group_by = [\"transaction_date\", \"sku_id\"]\n"
            "# [table.measures]\n"
            "# total_quantity_sold = \"sum(quantity_sold)\"\n"
            "# total_revenue_usd = \"sum(revenue_usd)\"\n"
            "# row_count = \"count()\"\n");
  EXPECT_EQ(parse_job(text + "[[table]]\nname = \"t\"\n[table.measures]\nn = \"count()\"\n", "x")
                .columns.size(),
            5u);
  const Job job = parse_job(uncomment_table(text), "inferred.toml");
  ASSERT_EQ(job.tables.size(), 1u);
  EXPECT_EQ(job.tables[0].group_by, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(job.tables[0].measures.size(), 3u);
}

TEST(Infer, CostExportWithUnusableHeadersAndNulls) {
  const std::string head =
      "\xEF\xBB\xBFUsage Date;Account;Service;Cost Total $;Order\n"
      "31/01/2024;a1;compute;1.5;\n"
      "31/01/2024;a2;storage;;x\n"
      "\"01/02/2024\";a1;compute;0.125;y\n"
      "01/02/2024;a3;compute;2;z\n";
  const std::string text = infer_job(head, "exports/acme/cost_20240201.csv");
  const Job job = parse_job(uncomment_table(text), "inferred.toml");
  EXPECT_EQ(job.csv.delimiter, ';');
  EXPECT_EQ(job.csv.nulls, (std::vector<std::string>{""}));
  EXPECT_EQ(job.source.pattern, "{client}/cost_{date:%Y%m%d}.csv");
  ASSERT_EQ(job.columns.size(), 5u);
  EXPECT_EQ(job.columns[0],
            (Column{"usage_date", "Usage Date", 0, {ColumnKind::date, "%d/%m/%Y", 0}}));
  EXPECT_EQ(job.columns[3],
            (Column{"cost_total", "Cost Total $", 0, {ColumnKind::decimal, "", 3}}));
  EXPECT_EQ(job.columns[4].name, "order_");
  EXPECT_EQ(job.tables[0].name, "daily_totals");
  EXPECT_EQ(job.tables[0].group_by, (std::vector<uint32_t>{0, 2}));
  ASSERT_EQ(job.tables[0].measures.size(), 2u);
  EXPECT_EQ(job.tables[0].measures[0], (Measure{"total_cost_total", MeasureKind::sum, 3}));
}

TEST(Infer, WithoutItsTableTheProposalSaysWhatIsMissing) {
  const std::string text = infer_job("a,b\n1,2\n", "c/d_1.csv");
  try {
    parse_job(text, "inferred.toml");
    FAIL() << "expected an error";
  } catch (const std::exception& e) {
    EXPECT_EQ(std::string(e.what()),
              "inferred.toml:1:1: expected at least one [[table]], found none");
  }
}
