// Tests for src/csv/job_parser with the built-in job (the seed's CSV): the same bytes in any
// chunking give the same groups (and the groups equal an independent recomputation); BOM, CRLF,
// quoting, blank lines and a missing final newline; every error class names path:line:column
// exactly, whatever the chunking; the mid-file start after an unterminated row; the fast row path
// agrees with the general one on every spelling.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "aggregate/job_groups.h"
#include "aggregate/sku_dictionary.h"
#include "common/date.h"
#include "common/error.h"
#include "csv/job_parser.h"
#include "csv/separator_scan.h"
#include "job/builtin_job.h"
#include "test_support.h"

using namespace snapdelta;
using snapdelta::test::RefRow;

namespace {

const std::string kHeader(kBuiltinHeader);
const std::string kHead = kHeader + "\n";

enum class Split { kWhole, kBytes, kRandom };
const Split kSplits[] = {Split::kWhole, Split::kBytes, Split::kRandom};

const char* name(Split s) {
  return s == Split::kWhole ? "whole" : s == Split::kBytes ? "1-byte" : "random";
}

struct Parsed {
  std::vector<RefRow> groups;
  uint64_t rows = 0;
  uint64_t lines = 0;
  bool unterminated = false;
};

// processed_sales' rows: (date, sku) keys, then quantity, cents, count.
std::vector<RefRow> rows_of(const JobGroups& groups) {
  std::vector<RefRow> out;
  for (const TableRow& r : groups.rows(0)) {
    out.push_back(RefRow{format_date(static_cast<int32_t>(r[0].number)), r[1].text, r[2].number,
                         r[3].number, r[4].number});
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
      // Mostly short chunks, sometimes long ones, sometimes empty ones.
      const uint64_t r = rng() % 10;
      n = std::min(n, r == 0 ? size_t{0} : r < 7 ? 1 + rng() % 7 : 1 + rng() % 300);
    }
    parser.feed(text.data() + pos, n);
    pos += n;
  }
}

Parsed parse(std::string_view text, Split split, uint64_t seed = 1,
             ParserStart start = ParserStart::file_start()) {
  JobGroups groups(builtin_job());
  // Mid-file, the header line is the one the state remembers.
  JobParser parser("in.csv", builtin_job(), groups, start,
                   start.at_file_start() ? "" : std::string(kBuiltinHeader));
  feed(parser, text, split, seed);
  parser.finish();
  return Parsed{rows_of(groups), parser.rows(), parser.lines(), parser.ended_unterminated()};
}

// The error message for `text`, checked to be the same for every chunking; "" when none.
std::string error_of(std::string_view text, ParserStart start = ParserStart::file_start()) {
  std::string first;
  for (Split split : kSplits) {
    std::string message;
    try {
      parse(text, split, 3, start);
    } catch (const Error& e) {
      message = e.what();
    }
    if (split == Split::kWhole) {
      first = message;
    } else {
      EXPECT_EQ(message, first) << "chunking " << name(split) << " disagrees";
    }
  }
  return first;
}

// Asserts the error starts with "in.csv:LINE:COLUMN: expected" and contains `words`.
void expect_error(std::string_view text, uint64_t line, uint64_t column, const std::string& words) {
  const std::string message = error_of(text);
  const std::string where =
      "in.csv:" + std::to_string(line) + ":" + std::to_string(column) + ": expected";
  EXPECT_EQ(message.substr(0, where.size()), where) << "message: " << message;
  EXPECT_NE(message.find(words), std::string::npos) << "message: " << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << "message is not one line: " << message;
}

std::string revenue_text(std::mt19937_64& rng, int64_t cents) {
  const bool neg = cents < 0;
  const int64_t v = neg ? -cents : cents;
  std::string units = std::to_string(v / 100);
  const int64_t frac = v % 100;
  std::string s;
  switch (rng() % 3) {
    case 0:  // two decimals always
      s = units + "." + (frac < 10 ? "0" : "") + std::to_string(frac);
      break;
    case 1:  // shortest exact spelling
      if (frac == 0) {
        s = units;
      } else if (frac % 10 == 0) {
        s = units + "." + std::to_string(frac / 10);
      } else {
        s = units + "." + (frac < 10 ? "0" : "") + std::to_string(frac);
      }
      break;
    default:  // quoted two decimals
      s = "\"" + units + "." + (frac < 10 ? "0" : "") + std::to_string(frac) + "\"";
      return neg ? "\"-" + s.substr(1) : s;
  }
  return neg ? "-" + s : s;
}

// A random CSV exercising every accepted form.
std::string random_csv(uint64_t seed, int rows, bool bom, bool crlf_mix, bool blank_lines,
                       bool final_newline) {
  std::mt19937_64 rng(seed);
  const char* dates[] = {"2024-02-29", "2025-01-01", "2025-12-31", "1999-07-04", "2025-10-03"};
  std::string csv = bom ? "\xEF\xBB\xBF" : "";
  auto eol = [&] { return crlf_mix && rng() % 2 ? "\r\n" : "\n"; };
  csv += kHeader + eol();
  for (int i = 0; i < rows; ++i) {
    if (blank_lines && rng() % 7 == 0) csv += eol();
    std::string id = "TXN_" + std::to_string(i);
    switch (rng() % 5) {
      case 0:
        id = "\"" + id + ",with comma\"";
        break;
      case 1:
        id = "\"" + id + " \"\"quoted\"\"\"";
        break;
      default:
        break;
    }
    std::string sku = "SKU_" + std::to_string(rng() % 20);
    if (rng() % 6 == 0) sku = "\"" + sku + "\"";
    if (rng() % 9 == 0) sku = "\"S,\"\"" + std::to_string(rng() % 3) + "\"";  // S,"N
    const int64_t qty = static_cast<int64_t>(rng() % 30) - 5;
    const int64_t cents = static_cast<int64_t>(rng() % 100000) - 10000;
    std::string date = dates[rng() % 5];
    if (rng() % 8 == 0) date = "\"" + date + "\"";
    csv += id + "," + date + "," + sku + "," + std::to_string(qty) + "," + revenue_text(rng, cents);
    if (i + 1 < rows || final_newline) csv += eol();
  }
  return csv;
}

}  // namespace

TEST(Parser, AnyChunkingGivesTheSameGroupsAsAReferenceRecomputation) {
  for (uint64_t seed = 1; seed <= 24; ++seed) {
    const bool bom = seed % 2, crlf = seed % 3 != 0, blanks = seed % 4 != 0,
               final_nl = seed % 5 != 0;
    const std::string csv =
        random_csv(seed, 150 + static_cast<int>(seed) * 7, bom, crlf, blanks, final_nl);
    const std::vector<RefRow> expected = test::reference_rows(csv);
    ASSERT_FALSE(expected.empty());
    const Parsed whole = parse(csv, Split::kWhole);
    EXPECT_EQ(whole.groups, expected) << "seed " << seed;
    EXPECT_EQ(whole.unterminated, !final_nl);
    const uint64_t line_count = test::split_lines(csv).size();
    EXPECT_EQ(whole.lines, line_count) << "seed " << seed;
    for (Split split : {Split::kBytes, Split::kRandom}) {
      for (uint64_t trial = 0; trial < (split == Split::kRandom ? 5 : 1); ++trial) {
        const Parsed p = parse(csv, split, seed * 100 + trial);
        ASSERT_EQ(p.groups, whole.groups) << "seed " << seed << " " << name(split);
        ASSERT_EQ(p.rows, whole.rows);
        ASSERT_EQ(p.lines, whole.lines);
        ASSERT_EQ(p.unterminated, whole.unterminated);
      }
    }
  }
}

TEST(Parser, BomCrlfAndLfSpellingsOfTheSameRowsAgree) {
  const std::string rows =
      "A,2025-01-01,S1,2,10.50\nB,2025-01-01,S1,3,0.5\nC,2025-01-02,S2,1,-0.07\n";
  auto crlf = [](std::string s) {
    std::string out;
    for (char c : s) {
      if (c == '\n') out += '\r';
      out += c;
    }
    return out;
  };
  const Parsed lf = parse(kHead + rows, Split::kWhole);
  const std::vector<RefRow> expected = {{"2025-01-01", "S1", 5, 1100, 2},
                                        {"2025-01-02", "S2", 1, -7, 1}};
  EXPECT_EQ(lf.groups, expected);
  EXPECT_EQ(lf.rows, 3u);
  EXPECT_EQ(lf.lines, 4u);
  for (Split split : kSplits) {
    EXPECT_EQ(parse("\xEF\xBB\xBF" + kHead + rows, split).groups, expected) << name(split);
    EXPECT_EQ(parse(crlf(kHead + rows), split).groups, expected) << name(split);
    EXPECT_EQ(parse("\xEF\xBB\xBF" + crlf(kHead + rows), split).groups, expected) << name(split);
  }
}

TEST(Parser, QuotedFieldsBlankLinesAndNoFinalNewline) {
  // The transaction id is not a column of the job: never parsed, so an empty one is no error.
  const std::string csv =
      kHead + "\"A,1\",2025-03-01,\"S \"\"x\"\"\",1,1.00\n\n\r\n" + "\"\",2025-03-01,S,1,1\n";
  EXPECT_EQ(error_of(csv), "");
  EXPECT_EQ(parse(csv, Split::kWhole).rows, 2u);

  const std::string ok = kHead + "\"A,1\",2025-03-01,\"S \"\"x\"\"\",1,1.00\n\n\r\n" +
                         "B,\"2025-03-01\",\"S \"\"x\"\"\",2,\"2.5\"\n\nC,2025-03-02,T,7,3";
  for (Split split : kSplits) {
    const Parsed p = parse(ok, split);
    const std::vector<RefRow> expected = {{"2025-03-01", "S \"x\"", 3, 350, 2},
                                          {"2025-03-02", "T", 7, 300, 1}};
    EXPECT_EQ(p.groups, expected) << name(split);
    EXPECT_EQ(p.rows, 3u);
    EXPECT_EQ(p.lines, 7u);
    EXPECT_TRUE(p.unterminated);
  }
  const Parsed header_only = parse(kHead, Split::kWhole);
  EXPECT_TRUE(header_only.groups.empty());
  EXPECT_EQ(header_only.rows, 0u);
  EXPECT_EQ(header_only.lines, 1u);
  EXPECT_FALSE(header_only.unterminated);
  const Parsed header_unterminated = parse(kHeader, Split::kBytes);
  EXPECT_EQ(header_unterminated.rows, 0u);
  EXPECT_TRUE(header_unterminated.unterminated);
}

TEST(ParserErrors, TooFewFields) {
  expect_error(kHead + "A,2025-01-01,S,5\n", 2, 17, "expected 5 fields, found 4");
  expect_error(kHead + "A,2025-01-01,S,5,1.00\r\nB,2025-01-01,S,5\r\n", 3, 17, "found 4");
  expect_error(kHead + "A,2025-01-01,S,5,1.00\nB", 3, 2, "found 1");
}

TEST(ParserErrors, TooManyFields) {
  expect_error(kHead + "A,2025-01-01,S,5,1.00,x\n", 2, 23, "expected 5 fields, found 6");
  expect_error(kHead + "A,2025-01-01,S,5,1.00,\n", 2, 23, "found 6");
}

TEST(ParserErrors, NonNumericQuantity) {
  expect_error(kHead + "A,2025-01-01,S,5x,1.00\n", 2, 16, "quantity_sold");
  expect_error(kHead + "A,2025-01-01,S,,1.00\n", 2, 16, "quantity_sold");
  expect_error(kHead + "A,2025-01-01,S,1.5,1.00\n", 2, 16, "quantity_sold");
  expect_error(kHead + "\n\nA,2025-01-01,SKU_9,-,1.00\n", 4, 20, "quantity_sold");
}

TEST(ParserErrors, OverflowingQuantity) {
  expect_error(kHead + "A,2025-01-01,S,9223372036854775808,1.00\n", 2, 16,
               "-9223372036854775808 to 9223372036854775807");
  expect_error(kHead + "A,2025-01-01,S,-9223372036854775809,1.00\n", 2, 16, "quantity_sold");
  expect_error(kHead + "A,2025-01-01,S,99999999999999999999999,1.00\n", 2, 16, "quantity_sold");
  // Large values parse; their group sum overflowing int64 is an error on the row that overflows.
  std::string csv = kHead;
  for (int i = 0; i < 10; ++i) csv += "A,2025-01-01,S,999999999999999999,1.00\n";
  expect_error(csv, 11, 16, "overflow");
}

TEST(ParserErrors, MalformedRevenue) {
  expect_error(kHead + "A,2025-01-01,S,5,1.234\n", 2, 18, "revenue_usd");
  expect_error(kHead + "A,2025-01-01,S,5,12.\n", 2, 18, "revenue_usd");
  expect_error(kHead + "A,2025-01-01,S,5,.5\n", 2, 18, "revenue_usd");
  expect_error(kHead + "A,2025-01-01,S,5,1e3\n", 2, 18, "revenue_usd");
  expect_error(kHead + "A,2025-01-01,S,5,\n", 2, 18, "revenue_usd");
  expect_error(kHead + "A,2025-01-01,S,5, 1\n", 2, 18, "revenue_usd");
}

TEST(ParserErrors, InvalidDate) {
  expect_error(kHead + "A,2025-02-29,S,5,1.00\n", 2, 3, "transaction_date");
  expect_error(kHead + "A,2025-13-01,S,5,1.00\n", 2, 3, "transaction_date");
  expect_error(kHead + "A,2025-1-01,S,5,1.00\n", 2, 3, "transaction_date");
  expect_error(kHead + "ABC,2025-01-01T00:00,S,5,1.00\n", 2, 5, "transaction_date");
}

// The built-in job reads no transaction id, and an empty SKU is a SKU (the job names no nulls).
TEST(Parser, EmptyIdIsNotReadAndAnEmptySkuIsAValue) {
  for (Split split : kSplits) {
    const Parsed p = parse(kHead + ",2025-01-01,S,5,1.00\nA,2025-01-01,,5,1.00\n", split);
    EXPECT_EQ(p.groups,
              (std::vector<RefRow>{{"2025-01-01", "", 5, 100, 1}, {"2025-01-01", "S", 5, 100, 1}}))
        << name(split);
  }
}

// The header must name every column of the job; others (and their names) do not matter.
TEST(ParserErrors, WrongHeader) {
  EXPECT_EQ(error_of("transaction_id,transaction_date,sku,quantity_sold,revenue_usd\n"),
            "in.csv:1:1: expected a column \"sku_id\" in the header, found "
            "\"transaction_id,transaction_date,sku,quantity_sold,revenue_usd\"");
  EXPECT_EQ(error_of("transaction_id,transaction_date,sku_id,quantity_sold\n"),
            "in.csv:1:1: expected a column \"revenue_usd\" in the header, found "
            "\"transaction_id,transaction_date,sku_id,quantity_sold\"");
  EXPECT_EQ(error_of("\nA,2025-01-01,S,5,1.00\n"),
            "in.csv:1:1: expected a column \"transaction_date\" in the header, found \"\"");
  EXPECT_EQ(
      error_of("id,transaction_date,sku_id,quantity_sold,revenue_usd\nA,2025-01-01,S,5,1.00\n"),
      "");
  EXPECT_EQ(error_of(kHeader + ",extra\nA,2025-01-01,S,5,1.00,x\n"), "");
}

TEST(ParserErrors, EmptyCsv) { expect_error("", 1, 1, "empty CSV"); }

TEST(ParserErrors, QuotingErrors) {
  expect_error(kHead + "\"A,2025-01-01,S,5,1.00\n", 2, 1, "closing");
  expect_error(kHead + "A,\"2025-01-01,S,5,1.00\n", 2, 3, "closing");
  expect_error(kHead + "A,2025-01-01,S,5,\"1.00\n", 2, 18, "closing");
  expect_error(kHead + "A\"B,2025-01-01,S,5,1.00\n", 2, 2, "quote");
  expect_error(kHead + "\"A\"B,2025-01-01,S,5,1.00\n", 2, 4, "','");
}

TEST(ParserErrors, LineOverOneMebibyte) {
  std::string csv = kHead + "A,2025-01-01,S,5,1.00\n";
  csv += std::string(kMaxLineBytes + 1, 'x') + "\nB,2025-01-01,S,5,1.00\n";
  expect_error(csv, 3, 1, "at most");
  // Also when the long line is the unterminated last one.
  expect_error(kHead + std::string(kMaxLineBytes + 5, 'y'), 2, 1, "at most");
}

TEST(ParserErrors, LineNumbersCountBlankLinesAndCrlf) {
  expect_error(kHead + "A,2025-01-01,S,5,1.00\r\n\r\n\n\r\nB,2025-01-01,S,x,1.00\r\n", 6, 16,
               "quantity_sold");
  expect_error("\xEF\xBB\xBF" + kHead + "A,2025-01-01,S,5,1.00\nB,2025-01-32,S,5,1.00\n", 3, 3,
               "transaction_date");
}

// A row of exactly kMaxLineBytes bytes is allowed; its CRLF ending must not count against the
// limit, whichever chunk the '\r' lands in.
TEST(ParserErrors, LineOfExactlyTheLimitWithCrlfIsAcceptedInAnyChunking) {
  const std::string tail = ",2025-01-01,S,1,1.00";
  const std::string row = std::string(kMaxLineBytes - tail.size(), 'T') + tail;
  ASSERT_EQ(row.size(), kMaxLineBytes);
  const std::string csv = kHead + row + "\r\n";
  EXPECT_EQ(error_of(kHead + row + "\n"), "");
  EXPECT_EQ(error_of(csv), "");  // also checks 1-byte and random chunkings agree
  // The pipeline's chunks may end right after the '\r'.
  JobGroups groups(builtin_job());
  JobParser parser("in.csv", builtin_job(), groups, ParserStart::file_start(), "");
  std::string message;
  try {
    const size_t cut = kHead.size() + row.size() + 1;
    parser.feed(csv.data(), cut);
    parser.feed(csv.data() + cut, csv.size() - cut);
    parser.finish();
  } catch (const Error& e) {
    message = e.what();
  }
  EXPECT_EQ(message, "");
  EXPECT_EQ(parser.rows(), 1u);
}

TEST(ParserErrors, MidFileStartNumbersLinesFromNextLine) {
  JobGroups groups(builtin_job());
  JobParser parser("in.csv", builtin_job(), groups, ParserStart::after(40, false), kHeader);
  const std::string tail = "A,2025-01-01,S,5,1.00\n\nB,2025-01-01,S,5,oops\n";
  try {
    parser.feed(tail.data(), tail.size());
    parser.finish();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).substr(0, 17), "in.csv:43:18: exp") << e.what();
  }
  // A mid-file start has no header: a header-looking line is a bad row.
  JobGroups g2(builtin_job());
  JobParser p2("in.csv", builtin_job(), g2, ParserStart::after(6, false), kHeader);
  const std::string header_line = kHead;
  EXPECT_THROW(p2.feed(header_line.data(), header_line.size()), Error);
}

TEST(Parser, AfterAnUnterminatedRowTheInputMustStartWithALineEnd) {
  for (Split split : kSplits) {
    // LF or CRLF first: fine, and the rows continue the line count.
    for (std::string first : {"\n", "\r\n"}) {
      const Parsed p = parse(first + "B,2025-01-01,S,2,2.00\nC,2025-01-01,S,1,1", split, 5,
                             ParserStart::after(9, true));
      EXPECT_EQ(p.rows, 2u) << name(split);
      EXPECT_EQ(p.lines, 11u) << name(split);
      EXPECT_TRUE(p.unterminated);
      EXPECT_EQ(p.groups, (std::vector<RefRow>{{"2025-01-01", "S", 3, 300, 2}}));
    }
    // Nothing new at all: the old last row is still unterminated.
    const Parsed none = parse("", split, 5, ParserStart::after(9, true));
    EXPECT_EQ(none.rows, 0u);
    EXPECT_TRUE(none.unterminated);
    EXPECT_EQ(none.lines, 9u);
    // Just the line end: now terminated.
    const Parsed just_nl = parse("\n", split, 5, ParserStart::after(9, true));
    EXPECT_EQ(just_nl.rows, 0u);
    EXPECT_FALSE(just_nl.unterminated);
    // Anything else extends the old last row (line 9): history changed there.
    for (std::string bad : {"0\nB,2025-01-01,S,2,2.00\n", "\rX\n", ",x\n"}) {
      try {
        parse(bad, split, 5, ParserStart::after(9, true));
        ADD_FAILURE() << "no HistoryChanged for " << test::regex_escape(bad);
      } catch (const HistoryChanged& h) {
        EXPECT_EQ(h.line, 9u);
        EXPECT_EQ(std::string(h.what()), "history changed at line 9");
      }
    }
  }
}

namespace {

// The whole outcome of a parse (groups, counts, or the error message) as one comparable string.
std::string outcome(std::string_view text, Split split, uint64_t seed = 1) {
  try {
    const Parsed p = parse(text, split, seed);
    std::string out = "rows " + std::to_string(p.rows) + " lines " + std::to_string(p.lines) +
                      (p.unterminated ? " unterminated\n" : "\n");
    for (const RefRow& r : p.groups) {
      out += r.date + "," + test::regex_escape(r.sku) + "," + std::to_string(r.quantity) + "," +
             std::to_string(r.cents) + "," + std::to_string(r.count) + "\n";
    }
    return out;
  } catch (const Error& e) {
    return std::string("error: ") + e.what();
  }
}

}  // namespace

// Fed whole, an unquoted row takes the fast path; fed a byte at a time, every row is parsed the
// general way. Both must agree, value for value and error for error, on every spelling.
TEST(ParserFastPath, AgreesWithTheGeneralPathOnEveryNumberAndDateSpelling) {
  // '|'-separated spellings (an empty one is an empty field).
  auto spellings = [](std::string_view list) {
    std::vector<std::string> out;
    for (size_t pos = 0;;) {
      const size_t bar = list.find('|', pos);
      out.emplace_back(list.substr(pos, bar - pos));
      if (bar == std::string_view::npos) return out;
      pos = bar + 1;
    }
  };
  const std::vector<std::string> quantities = spellings(
      "0|7|-7|12|00000007|12345678|99999999|-12345678|123456789|123456789012345678|"
      "-123456789012345678|1234567890123456789|0000000000000000001||-|+5|5x|x5|1a345678|1234567a|"
      "1.5| 5|5 |--5|-0|/|+|:|x| |-/|-:|\t|/0|0/|:0|0:");
  const std::vector<std::string> revenues = spellings(
      "409.73|0.07|-0.07|12|12.5|12.50|-12.5|12345678.99|-12345678.99|123456789.99|"
      "123456789012345.67|1234567890123456.00|900000000000000.00|900000000000000.01|1.234|12.|.|"
      ".5|1e3||-|1.2x|x1.23|12.3a|1a.23|--1.00|-.50| 1.00|1.00 |0.00|-0.00|00000001.00|1/.23|"
      "1:.23|9.9/|9.:9|12345678.9|/.00|:.00|-/.00|1./0|1.0:|99999.99|-99999.99|100000.00|"
      "/9999.99|9999:.99|12345.6/|0.0/|0./0|/0.00|0.00/");
  const std::vector<std::string> dates = {"2025-10-01",  "2024-02-29", "2025-02-29", "2025-1-01",
                                          "2025-10-011", "0000-01-01", "9999-12-31", "2025/10/01"};
  size_t checked = 0, ok = 0;
  for (const std::string& date : dates) {
    for (const std::string& q : quantities) {
      for (const std::string& r : revenues) {
        // A second, valid row on another date exercises the date cache both ways.
        const std::string csv = kHead + "T1," + date + ",SKU_00001," + q + "," + r +
                                "\r\nT2,2025-10-02,SKU_00001,1,1.00\nT3," + date + ",S," + q + "," +
                                r + "\n";
        const std::string whole = outcome(csv, Split::kWhole);
        ASSERT_EQ(whole, outcome(csv, Split::kBytes)) << test::regex_escape(csv);
        ++checked;
        ok += whole.rfind("rows", 0) == 0;
      }
    }
  }
  EXPECT_GT(ok, 500u);  // plenty of both outcomes
  EXPECT_GT(checked - ok, 5000u);
  // And the values themselves, at the edges of the fast spellings.
  const Parsed p = parse(kHead +
                             "A,2025-10-01,S,12345678,12345678.99\n"
                             "B,2025-10-01,S,-99999999,-0.07\n"
                             "C,2025-10-01,T,123456789012345678,123456789.5\n"
                             "D,2025-10-01,T,-1,12\n",
                         Split::kWhole);
  EXPECT_EQ(p.groups,
            (std::vector<RefRow>{{"2025-10-01", "S", 12345678 - 99999999, 1234567899 - 7, 2},
                                 {"2025-10-01", "T", 123456789012345677, 12345678950 + 1200, 2}}));
}

// Rows of every length cross the parser's internal scan windows at every offset; odd lines
// (blank, CRLF, quoted, very long, too few fields in a row that is still an error) sit among them.
TEST(ParserFastPath, RowsOfAnyLengthAgreeWithTheReferenceInAnyChunking) {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    std::mt19937_64 rng(seed);
    std::string csv = kHead;
    for (int i = 0; i < 600; ++i) {
      const uint64_t kind = rng() % 40;
      if (kind == 0) {
        csv += rng() % 2 ? "\n" : "\r\n";
        continue;
      }
      // Odd seeds: short rows, so a 64-byte block holds anywhere from 8 to 20 separators.
      std::string id = seed % 2 ? "T" : "T" + std::to_string(i);
      const size_t pad = kind == 1 ? 5000 + rng() % 5000 : rng() % (seed % 2 ? 4 : 120);
      id += std::string(pad, static_cast<char>('a' + rng() % 26));
      if (kind == 2) id = "\"" + id + ",x\"";
      std::string sku = (seed % 2 ? "S" : "SKU_") + std::to_string(rng() % 50);
      if (kind == 3) sku += std::string(rng() % 20, 'z');
      const std::string q = std::to_string(static_cast<int64_t>(rng() % 2000) - 100);
      const int64_t cents = static_cast<int64_t>(rng() % (seed % 2 ? 1000 : 10000000)) - 100;
      const std::string r = (cents < 0 ? "-" : "") + std::to_string(std::abs(cents) / 100) + "." +
                            std::to_string(std::abs(cents) % 100 / 10) +
                            std::to_string(std::abs(cents) % 10);
      csv += id + ",2025-10-0" + std::to_string(1 + rng() % 3) + "," + sku + "," + q + "," + r +
             (rng() % 5 == 0 ? "\r\n" : "\n");
    }
    const std::vector<RefRow> expected = test::reference_rows(csv);
    EXPECT_EQ(parse(csv, Split::kWhole).groups, expected) << "seed " << seed;
    const std::string whole = outcome(csv, Split::kWhole);
    EXPECT_EQ(outcome(csv, Split::kRandom, seed), whole) << "seed " << seed;
    EXPECT_EQ(outcome(csv, Split::kBytes), whole) << "seed " << seed;
    // A bad row anywhere is reported at the same place whichever path met it.
    const size_t at = csv.find('\n', csv.size() / 2 + rng() % (csv.size() / 3)) + 1;
    const std::string bad = csv.substr(0, at) + "X,2025-10-01,S,1\n" + csv.substr(at);
    const std::string message = error_of(bad);
    EXPECT_NE(message.find("expected 5 fields, found 4"), std::string::npos) << message;
  }
}

// SKU ids are kept byte for byte: NULs, ids that differ only in trailing NULs or in length, and
// ids around the 16 bytes the dictionary packs inline.
TEST(ParserFastPath, SkuIdsAreByteExact) {
  const std::vector<std::string> skus = {"A",
                                         std::string("A\0", 2),
                                         std::string("A\0\0", 3),
                                         std::string("\0", 1),
                                         std::string("SKU\0_1", 6),
                                         "SKU_0000000001",
                                         "SKU_00000000001",
                                         "SKU_000000000001",
                                         "SKU_0000000000001",
                                         "SKU_00000000000001",
                                         std::string("SKU_00000000001\0", 16),
                                         std::string("SKU_000000000001\0", 17),
                                         "\xff\xfe\x80",
                                         std::string(300, 'L')};
  std::string csv = kHead;
  std::vector<RefRow> expected;
  for (size_t i = 0; i < skus.size(); ++i) {
    for (int rep = 0; rep <= static_cast<int>(i % 3); ++rep) {
      csv += "T," + std::string("2025-10-01,") + skus[i] + "," + std::to_string(i + 1) + ",1.00\n";
    }
    expected.push_back({"2025-10-01", skus[i], static_cast<int64_t>((i + 1) * (i % 3 + 1)),
                        static_cast<int64_t>(100 * (i % 3 + 1)), static_cast<int64_t>(i % 3 + 1)});
  }
  std::sort(expected.begin(), expected.end(),
            [](const RefRow& a, const RefRow& b) { return a.sku < b.sku; });
  for (Split split : kSplits) {
    EXPECT_EQ(parse(csv, split).groups, expected) << name(split);
  }
}

// intern() and intern_padded() (which reads 16 bytes whatever follows the id) agree: the same
// bytes get the same id whichever is used, ids count up in first-seen order, names are exact.
TEST(SkuDictionary, PaddedAndPlainInterningAgreeByteForByte) {
  std::mt19937_64 rng(7);
  SkuDictionary dict;
  std::map<std::string, uint32_t> ids;
  for (int i = 0; i < 20000; ++i) {
    std::string sku;
    // A small alphabet with NULs, so ids often differ only in length or in a trailing NUL.
    for (size_t k = rng() % 21; k > 0; --k) sku += "\0A\xff"[rng() % 3];
    if (rng() % 4 == 0) sku = "SKU_" + std::to_string(rng() % 3000);
    std::string buffer = sku + std::string(16, static_cast<char>(rng()));  // garbage after it
    const uint32_t id = rng() % 2 ? dict.intern(sku)
                                  : dict.intern_padded(std::string_view(buffer.data(), sku.size()));
    const auto [it, added] = ids.emplace(sku, static_cast<uint32_t>(ids.size()));
    ASSERT_EQ(id, it->second) << test::regex_escape(sku) << (added ? " (new)" : " (seen)");
    ASSERT_EQ(dict.name(id), sku);
  }
  EXPECT_EQ(dict.size(), ids.size());
  EXPECT_GT(ids.size(), 3000u);  // the table grew several times
}

// The parser's separator scan (AVX2 where the CPU has it, SSE2/scalar otherwise) finds exactly the
// ',', '\n' and '"' a plain loop finds, at any length and density, reading nothing past the end.
TEST(ParserFastPath, SeparatorScanAgreesWithAPlainLoop) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 3000; ++trial) {
    const size_t size = trial < 2900 ? rng() % 300 : 4096;
    const uint64_t density = rng() % 5;  // in quarters: none, some, ..., every byte
    std::vector<char> bytes(size);       // its own allocation, so ASan sees any over-read
    std::vector<uint32_t> expected;
    for (size_t i = 0; i < size; ++i) {
      const bool sep = rng() % 4 < density;
      bytes[i] = sep ? ",\n\""[rng() % 3] : "a\r\0 9\xff+\x0b"[rng() % 8];
      if (sep) expected.push_back(static_cast<uint32_t>(i));
    }
    for (bool portable : {false, true}) {
      std::vector<uint32_t> out(size + 8);
      const size_t n =
          detail::find_separators(bytes.data(), bytes.data() + size, out.data(), portable);
      out.resize(n);
      ASSERT_EQ(out, expected) << "trial " << trial << " size " << size << " portable " << portable;
    }
  }
}
