// Tests for src/csv/job_parser and row_layout: for the built-in job, groups equal to a reference
// recomputation and errors at their places (parser_test.cpp has the rest of the built-in job's
// cases); then what a job adds: columns in any order, extra columns,
// columns by position, another delimiter and quote, nulls, date formats, every error's whole
// message, every split position, and resuming mid-file with the stored first line.
#include "csv/job_parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "aggregate/job_groups.h"
#include "common/date.h"
#include "common/error.h"
#include "job/builtin_job.h"
#include "test_support.h"

using namespace snapdelta;
using snapdelta::test::RefRow;

namespace {

constexpr std::string_view kHeader = kBuiltinHeader;
const std::string kHead = std::string(kHeader) + "\n";

enum class Split { kWhole, kBytes, kRandom };
const Split kSplits[] = {Split::kWhole, Split::kBytes, Split::kRandom};

struct Parsed {
  std::vector<std::string> groups;  // table 0's rows, one text per row
  uint64_t rows = 0;
  uint64_t lines = 0;
  bool unterminated = false;
  std::string header;
};

std::string cell_text(const Cell& c) {
  return c.null ? "null" : c.text.empty() ? std::to_string(c.number) : c.text;
}

std::vector<std::string> rows_of(const JobGroups& groups, size_t t = 0) {
  std::vector<std::string> out;
  for (const TableRow& row : groups.rows(t)) {
    std::string line;
    for (const Cell& c : row) line += (line.empty() ? "" : "|") + cell_text(c);
    out.push_back(line);
  }
  return out;
}

void feed(JobParser& parser, std::string_view text, Split split, uint64_t seed) {
  std::mt19937_64 rng(seed);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t n = text.size() - pos;
    if (split == Split::kBytes) n = 1;
    if (split == Split::kRandom) {
      const uint64_t r = rng() % 10;
      n = std::min(n, r == 0 ? size_t{0} : r < 7 ? 1 + rng() % 7 : 1 + rng() % 300);
    }
    parser.feed(text.data() + pos, n);
    pos += n;
  }
}

Parsed parse(const Job& job, std::string_view text, Split split = Split::kWhole, uint64_t seed = 1,
             ParserStart start = ParserStart::file_start(), std::string header_line = "") {
  JobGroups groups(job);
  JobParser parser("in.csv", job, groups, start, std::move(header_line));
  feed(parser, text, split, seed);
  parser.finish();
  return Parsed{rows_of(groups), parser.rows(), parser.lines(), parser.ended_unterminated(),
                parser.header()};
}

Parsed parse(std::string_view text, Split split = Split::kWhole, uint64_t seed = 1) {
  return parse(builtin_job(), text, split, seed);
}

// The built-in job's rows as parser_test.cpp's RefRow.
std::vector<RefRow> ref_rows(const Parsed& p) {
  std::vector<RefRow> out;
  JobGroups unused(builtin_job());
  for (const std::string& line : p.groups) {
    std::vector<std::string> cells;
    for (size_t pos = 0;;) {
      const size_t bar = line.find('|', pos);
      cells.push_back(line.substr(pos, bar - pos));
      if (bar == std::string::npos) break;
      pos = bar + 1;
    }
    out.push_back({format_date(static_cast<int32_t>(std::stoll(cells[0]))), cells[1],
                   std::stoll(cells[2]), std::stoll(cells[3]), std::stoll(cells[4])});
  }
  return out;
}

// The error message for `text`, the same for every chunking; "" when none.
std::string error_of(const Job& job, std::string_view text,
                     ParserStart start = ParserStart::file_start(), std::string header_line = "") {
  std::string first;
  for (Split split : kSplits) {
    std::string message;
    try {
      parse(job, text, split, 3, start, header_line);
    } catch (const Error& e) {
      message = e.what();
    }
    if (split == Split::kWhole) {
      first = message;
    } else {
      EXPECT_EQ(message, first) << "chunking disagrees";
    }
  }
  return first;
}
std::string error_of(std::string_view text) { return error_of(builtin_job(), text); }

void expect_error(std::string_view text, uint64_t line, uint64_t column, const std::string& words) {
  const std::string message = error_of(text);
  const std::string where =
      "in.csv:" + std::to_string(line) + ":" + std::to_string(column) + ": expected";
  EXPECT_EQ(message.substr(0, where.size()), where) << "message: " << message;
  EXPECT_NE(message.find(words), std::string::npos) << "message: " << message;
}

std::string random_csv(uint64_t seed, int rows, bool bom, bool crlf_mix, bool blank_lines,
                       bool final_newline) {
  std::mt19937_64 rng(seed);
  const char* dates[] = {"2024-02-29", "2025-01-01", "2025-12-31", "1999-07-04", "2025-10-03"};
  std::string csv = bom ? "\xEF\xBB\xBF" : "";
  auto eol = [&] { return crlf_mix && rng() % 2 ? "\r\n" : "\n"; };
  csv += std::string(kHeader) + eol();
  for (int i = 0; i < rows; ++i) {
    if (blank_lines && rng() % 7 == 0) csv += eol();
    std::string id = "TXN_" + std::to_string(i);
    if (rng() % 5 == 0) id = "\"" + id + ",with comma\"";
    std::string sku = "SKU_" + std::to_string(rng() % 20);
    if (rng() % 6 == 0) sku = "\"" + sku + "\"";
    if (rng() % 9 == 0) sku = "\"S,\"\"" + std::to_string(rng() % 3) + "\"";
    const int64_t qty = static_cast<int64_t>(rng() % 30) - 5;
    const int64_t cents = static_cast<int64_t>(rng() % 100000) - 10000;
    const std::string units = std::to_string(std::abs(cents) / 100);
    const int64_t frac = std::abs(cents) % 100;
    std::string rev =
        (cents < 0 ? "-" : "") + units + "." + (frac < 10 ? "0" : "") + std::to_string(frac);
    if (rng() % 4 == 0) rev = "\"" + rev + "\"";
    std::string date = dates[rng() % 5];
    if (rng() % 8 == 0) date = "\"" + date + "\"";
    csv += id + "," + date + "," + sku + "," + std::to_string(qty) + "," + rev;
    if (i + 1 < rows || final_newline) csv += eol();
  }
  return csv;
}

Column col(const char* name, ColumnKind kind, uint8_t scale = 0, const char* format = "") {
  return {name,
          name,
          0,
          {kind, kind == ColumnKind::date && !*format ? kDefaultDateFormat : format, scale}};
}

// A job of three keys and five measures over (day, store, sku, qty, price).
Job wide_job() {
  Job job = builtin_job();
  job.columns = {col("day", ColumnKind::date), col("store", ColumnKind::string),
                 col("sku", ColumnKind::string), col("qty", ColumnKind::int64),
                 col("price", ColumnKind::decimal, 3)};
  job.tables = {{"t",
                 {0, 1, 2},
                 {{"q", MeasureKind::sum, 3},
                  {"p", MeasureKind::sum, 4},
                  {"n", MeasureKind::count_rows, kNoColumn},
                  {"lo", MeasureKind::min, 4},
                  {"hi", MeasureKind::max, 3}}}};
  return job;
}

}  // namespace

TEST(JobParser, BuiltinJobAnyChunkingGivesTheReferenceGroups) {
  for (uint64_t seed = 1; seed <= 16; ++seed) {
    const std::string csv = random_csv(seed, 150 + static_cast<int>(seed) * 7, seed % 2,
                                       seed % 3 != 0, seed % 4 != 0, seed % 5 != 0);
    const Parsed whole = parse(csv);
    EXPECT_EQ(ref_rows(whole), test::reference_rows(csv)) << "seed " << seed;
    EXPECT_EQ(whole.unterminated, seed % 5 == 0);
    EXPECT_EQ(whole.lines, test::split_lines(csv).size());
    for (Split split : {Split::kBytes, Split::kRandom}) {
      const Parsed p = parse(csv, split, seed);
      ASSERT_EQ(p.groups, whole.groups) << "seed " << seed;
      ASSERT_EQ(p.rows, whole.rows);
      ASSERT_EQ(p.lines, whole.lines);
    }
  }
}

TEST(JobParser, BomCrlfQuotesBlankLinesAndNoFinalNewline) {
  const std::string ok = "\xEF\xBB\xBF" + kHead +
                         "\"A,1\",2025-03-01,\"S \"\"x\"\"\",1,1.00\n\n\r\n" +
                         "B,\"2025-03-01\",\"S \"\"x\"\"\",2,\"2.5\"\r\n\nC,2025-03-02,T,7,3";
  for (Split split : kSplits) {
    const Parsed p = parse(ok, split);
    EXPECT_EQ(ref_rows(p), (std::vector<RefRow>{{"2025-03-01", "S \"x\"", 3, 350, 2},
                                                {"2025-03-02", "T", 7, 300, 1}}));
    EXPECT_EQ(p.rows, 3u);
    EXPECT_EQ(p.lines, 7u);
    EXPECT_TRUE(p.unterminated);
    EXPECT_EQ(p.header, kHeader);
  }
  const Parsed header_only = parse(kHead);
  EXPECT_EQ(header_only.rows, 0u);
  EXPECT_EQ(header_only.lines, 1u);
  EXPECT_FALSE(header_only.unterminated);
  EXPECT_TRUE(parse(std::string(kHeader), Split::kBytes).unterminated);
}

TEST(JobParserErrors, BuiltinJobErrorsAtTodaysPlaces) {
  expect_error(kHead + "A,2025-01-01,S,5\n", 2, 17, "expected 5 fields, found 4");
  expect_error(kHead + "A,2025-01-01,S,5,1.00\r\nB,2025-01-01,S,5\r\n", 3, 17, "found 4");
  expect_error(kHead + "A,2025-01-01,S,5,1.00\nB", 3, 2, "found 1");
  expect_error(kHead + "A,2025-01-01,S,5,1.00,x\n", 2, 23, "expected 5 fields, found 6");
  expect_error(kHead + "A,2025-01-01,S,5,1.00,\n", 2, 23, "found 6");
  expect_error(kHead + "A,2025-01-01,S,5x,1.00\n", 2, 16, "quantity_sold");
  expect_error(kHead + "\n\nA,2025-01-01,SKU_9,-,1.00\n", 4, 20, "quantity_sold");
  expect_error(kHead + "A,2025-01-01,S,5,12.\n", 2, 18, "revenue_usd");
  expect_error(kHead + "A,2025-02-29,S,5,1.00\n", 2, 3, "transaction_date");
  expect_error(kHead + "ABC,2025-01-01T00:00,S,5,1.00\n", 2, 5, "transaction_date");
  expect_error(kHead + "\"A,2025-01-01,S,5,1.00\n", 2, 1, "closing");
  expect_error(kHead + "A,2025-01-01,S,5,\"1.00\n", 2, 18, "closing");
  expect_error(kHead + "A\"B,2025-01-01,S,5,1.00\n", 2, 2, "quote");
  expect_error(kHead + "\"A\"B,2025-01-01,S,5,1.00\n", 2, 4, "','");
  expect_error(kHead + "A,2025-01-01,S,5,1.00\r\n\r\n\n\r\nB,2025-01-01,S,x,1.00\r\n", 6, 16,
               "quantity_sold");
  std::string csv = kHead + "A,2025-01-01,S,5,1.00\n";
  expect_error(csv + std::string(kMaxLineBytes + 1, 'x') + "\nB\n", 3, 1, "at most");
  expect_error(kHead + std::string(kMaxLineBytes + 5, 'y'), 2, 1, "at most");
}

TEST(JobParserErrors, EveryMessageWhole) {
  const std::string h = kHead;
  EXPECT_EQ(error_of(h + "A,2025-01-01,S,5,1.234\n"),
            "in.csv:2:18: expected a decimal with at most 2 fraction digits in revenue_usd, found "
            "\"1.234\"");
  EXPECT_EQ(error_of(h + "A,2025-01-01,S,5,92233720368547758.08\n"),
            "in.csv:2:18: expected a decimal of magnitude at most 92233720368547758.07 in "
            "revenue_usd, found \"92233720368547758.08\"");
  EXPECT_EQ(error_of(h + "A,2025-01-01,S,5,\n"),
            "in.csv:2:18: expected a decimal with at most 2 fraction digits in revenue_usd, found "
            "an empty field");
  EXPECT_EQ(error_of(h + "A,2025-13-01,S,5,1\n"),
            "in.csv:2:3: expected a valid date YYYY-MM-DD in transaction_date, found "
            "\"2025-13-01\"");
  EXPECT_EQ(error_of(h + "A,2025-01-01,S,1.5,1\n"),
            "in.csv:2:16: expected an integer in quantity_sold, found \"1.5\"");
  EXPECT_EQ(error_of(h + "A,2025-01-01,S,9223372036854775808,1\n"),
            "in.csv:2:16: expected an integer from -9223372036854775808 to 9223372036854775807 in "
            "quantity_sold, found \"9223372036854775808\"");
  EXPECT_EQ(error_of(h + "A,2025-01-01,S,5\n"), "in.csv:2:17: expected 5 fields, found 4");
  std::string csv = h;
  for (int i = 0; i < 10; ++i) csv += "A,2025-01-01,S,999999999999999999,1.00\n";
  const std::string overflow = error_of(csv);
  EXPECT_EQ(overflow.substr(0, 75),
            "in.csv:11:16: expected group sums within 64-bit integers, found an overflow");
  EXPECT_NE(overflow.find("total_quantity"), std::string::npos) << overflow;
  EXPECT_EQ(error_of(""),
            "in.csv:1:1: expected a header with the columns \"transaction_date\", \"sku_id\", "
            "\"quantity_sold\", \"revenue_usd\", found an empty CSV");
  const std::string long_header =
      "transaction_id,transaction_date,sku_id,quantity_sold,revenue,another_long_column_name";
  EXPECT_EQ(
      error_of(long_header + "\n"),
      "in.csv:1:1: expected a column \"revenue_usd\" in the header, found \"" + long_header + "\"");
  EXPECT_EQ(error_of("sku_id,transaction_date,quantity_sold,sku_id,revenue_usd\n"),
            "in.csv:1:39: expected a column \"sku_id\" once in the header, found "
            "\"sku_id,transaction_date,quantity_sold,sku_id,revenue_usd\"");
}

// An int is any int64 and a decimal any int64 count of its units, leading zeros allowed; one past
// either end is an error (EveryMessageWhole has the messages).
TEST(JobParser, IntsAndDecimalsReachTheEndsOfInt64) {
  const std::string csv = kHead +
                          "A,2025-01-01,S,9223372036854775807,92233720368547758.07\n"
                          "B,2025-01-01,T,-9223372036854775808,-92233720368547758.07\n"
                          "C,2025-01-01,U,0000000000000000000000012,00000000000000000000.10\n";
  for (Split split : kSplits) {
    EXPECT_EQ(ref_rows(parse(csv, split)),
              (std::vector<RefRow>{{"2025-01-01", "S", INT64_MAX, INT64_MAX, 1},
                                   {"2025-01-01", "T", INT64_MIN, -INT64_MAX, 1},
                                   {"2025-01-01", "U", 12, 10, 1}}));
  }
  EXPECT_NE(error_of(kHead + "A,2025-01-01,S,1,-92233720368547758.08\n"), "");
}

TEST(JobParser, ColumnsInAnyOrderAmongQuotedExtraColumns) {
  const std::string csv =
      "note,revenue_usd,\"sku_id\",x,quantity_sold,transaction_date\n"
      "\"a,b\",1.50,S,\"\"\"q,\"\"\",2,2025-01-01\n"
      "plain,2.25,S,y,3,2025-01-01\n"
      "\"\",0.25,T,,1,2025-01-02\n";
  for (Split split : kSplits) {
    const Parsed p = parse(builtin_job(), csv, split);
    EXPECT_EQ(ref_rows(p),
              (std::vector<RefRow>{{"2025-01-01", "S", 5, 375, 2}, {"2025-01-02", "T", 1, 25, 1}}));
  }
}

TEST(JobParser, ColumnsByPositionAnotherDelimiterAndQuote) {
  Job job = builtin_job();
  job.csv = {';', '\'', false, {}};
  for (Column& c : job.columns) c.from_header.clear();
  job.columns[0].from_position = 2;
  job.columns[1].from_position = 4;
  job.columns[2].from_position = 1;
  job.columns[3].from_position = 3;
  const std::string csv =
      "2;2025-01-01;1.50;S;x\n'3';'2025-01-01';'2.5';'S;''1';y\n1;2025-01-02;0;T;z";
  for (Split split : kSplits) {
    const Parsed p = parse(job, csv, split);
    EXPECT_EQ(p.groups,
              (std::vector<std::string>{"20089|S|2|150|1", "20089|S;'1|3|250|1", "20090|T|1|0|1"}));
    EXPECT_EQ(p.rows, 3u);
    EXPECT_EQ(p.header, "2;2025-01-01;1.50;S;x");
  }
  EXPECT_EQ(error_of(job, "1;2025-01-01\n"),
            "in.csv:1:13: expected at least 4 fields (column \"sku_id\" is field 4), found 2");
  EXPECT_EQ(error_of(job, "1;2025-01-01;1;b;c\n1;2025-01-01;1;b\n"),
            "in.csv:2:17: expected 5 fields, found 4");
}

TEST(JobParser, NullKeysAndNullMeasures) {
  Job job = builtin_job();
  job.csv.nulls = {"", "NA"};
  job.tables[0].measures.push_back({"n_qty", MeasureKind::count, 2});
  const std::string csv = kHead +
                          "a,2025-01-01,,1,1.00\n"
                          "b,2025-01-01,NA,NA,2.00\n"
                          "c,NA,S,3,\"NA\"\n"
                          "d,2025-01-01,\"\",4,NA\n";
  for (Split split : kSplits) {
    EXPECT_EQ(parse(job, csv, split).groups,
              (std::vector<std::string>{"null|S|3|null|1|1", "20089|null|5|300|3|2"}));
  }
  // Without "" among the nulls an empty string is a string (id 0, shown as its number here), an
  // empty number an error.
  EXPECT_EQ(parse(kHead + "a,2025-01-01,,1,1.00\n").groups,
            (std::vector<std::string>{"20089|0|1|100|1"}));
  EXPECT_EQ(error_of(kHead + "a,2025-01-01,S,NA,1.00\n"),
            "in.csv:2:16: expected an integer in quantity_sold, found \"NA\"");
}

TEST(JobParser, DateFormats) {
  Job job = builtin_job();
  job.columns[0].type.date_format = "%d/%m/%Y";
  const std::string csv =
      kHead + "a,01/01/2025,S,1,1\nb,\"02/01/2025\",S,1,1\nc,01/01/2025,S,1,1\n";
  for (Split split : kSplits) {
    EXPECT_EQ(parse(job, csv, split).groups,
              (std::vector<std::string>{"20089|S|2|200|2", "20090|S|1|100|1"}));
  }
  EXPECT_EQ(error_of(job, kHead + "a,2025-01-01,S,1,1\n"),
            "in.csv:2:3: expected a valid date DD/MM/YYYY in transaction_date, found "
            "\"2025-01-01\"");
  job.columns[0].type.date_format = "day %j of %Y";
  EXPECT_EQ(parse(job, kHead + "a,day 032 of 2025,S,1,1\n").groups,
            (std::vector<std::string>{"20120|S|1|100|1"}));
}

TEST(JobParser, WideJobEverySplitPositionGivesTheSameResult) {
  const Job job = wide_job();
  const std::string csv =
      "day,store,sku,qty,price,extra\n"
      "2025-01-01,A,S1,2,1.5,\"x,y\"\r\n"
      "2025-01-01,A,S1,-3,0.125,z\n"
      "\n"
      "2025-01-01,B,S1,1,-2,z\n"
      "2025-01-02,A,S2,7,100.001,\"\"\"\"";
  const Parsed whole = parse(job, csv);
  EXPECT_EQ(whole.groups,
            (std::vector<std::string>{"20089|A|S1|-1|1625|2|125|2", "20089|B|S1|1|-2000|1|-2000|1",
                                      "20090|A|S2|7|100001|1|100001|7"}));
  for (size_t cut = 0; cut <= csv.size(); ++cut) {
    for (size_t cut2 = cut; cut2 <= csv.size(); cut2 += 7) {
      JobGroups groups(job);
      JobParser parser("in.csv", job, groups, ParserStart::file_start(), "");
      parser.feed(csv.data(), cut);
      parser.feed(csv.data() + cut, cut2 - cut);
      parser.feed(csv.data() + cut2, csv.size() - cut2);
      parser.finish();
      ASSERT_EQ(rows_of(groups), whole.groups) << cut << " " << cut2;
      ASSERT_EQ(parser.lines(), 6u);
    }
  }
}

TEST(JobParser, ResumesMidFileWithTheStoredHeaderLine) {
  const Job job = wide_job();
  const std::string header = "extra,price,qty,sku,store,day";
  const Parsed p = parse(job, "\nx,1.000,1,S,A,2025-01-01\n", Split::kWhole, 1,
                         ParserStart::after(9, true), header);
  EXPECT_EQ(p.groups, (std::vector<std::string>{"20089|A|S|1|1000|1|1000|1"}));
  EXPECT_EQ(p.lines, 10u);
  EXPECT_EQ(p.header, header);
  EXPECT_EQ(error_of(job, "x,1.0000,1,S,A,2025-01-01\n", ParserStart::after(4, false), header),
            "in.csv:5:3: expected a decimal with at most 3 fraction digits in price, found "
            "\"1.0000\"");
  for (Split split : kSplits) {
    try {
      parse(job, "0\n", split, 1, ParserStart::after(9, true), header);
      ADD_FAILURE() << "no HistoryChanged";
    } catch (const HistoryChanged& h) {
      EXPECT_EQ(h.line, 9u);
    }
  }
}

TEST(JobParser, LineOfExactlyTheLimitWithCrlfIsAccepted) {
  const std::string tail = ",2025-01-01,S,1,1.00";
  const std::string row = std::string(kMaxLineBytes - tail.size(), 'T') + tail;
  EXPECT_EQ(error_of(kHead + row + "\r\n"), "");
}
