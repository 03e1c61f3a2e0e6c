// Tests for src/common: calendar dates (round trip over every day of several centuries, leap
// years, malformed text), exact cents (accepted and rejected spellings, limits, rendering),
// streamed hashing (any split gives the one-shot digest) and the located error format.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "common/date.h"
#include "common/error.h"
#include "common/money.h"
#include "source/hash.h"
#include "source/hash_combine.h"

using namespace snapdelta;

namespace {

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int month_days(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[m - 1] + (m == 2 && leap(y) ? 1 : 0);
}

std::string ymd(int y, int m, int d) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

}  // namespace

TEST(Date, KnownDays) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(format_date(0), "1970-01-01");
  EXPECT_EQ(format_date(-1), "1969-12-31");
  EXPECT_EQ(format_date(11017), "2000-03-01");
  int32_t d = 123;
  ASSERT_TRUE(parse_date("0001-01-01", &d));
  EXPECT_EQ(d, -719162);
  ASSERT_TRUE(parse_date("9999-12-31", &d));
  EXPECT_EQ(d, 2932896);
}

// Walks the calendar day by day with an independent month table: each real date parses to the
// previous date's number + 1 and formats back to the same text.
TEST(Date, EveryDayOfSeveralCenturiesRoundTrips) {
  std::vector<std::pair<int, int>> spans = {{1, 3}, {1580, 2110}, {2395, 2405}, {9997, 9999}};
  for (auto [from, to] : spans) {
    int32_t prev = 0;
    bool first = true;
    for (int y = from; y <= to; ++y) {
      for (int m = 1; m <= 12; ++m) {
        for (int day = 1; day <= month_days(y, m); ++day) {
          const std::string text = ymd(y, m, day);
          int32_t days = 0;
          ASSERT_TRUE(parse_date(text, &days)) << text;
          if (!first) {
            ASSERT_EQ(days, prev + 1) << text;
          }
          first = false;
          prev = days;
          ASSERT_EQ(days, days_from_civil(y, static_cast<uint32_t>(m), static_cast<uint32_t>(day)));
          ASSERT_EQ(format_date(days), text);
          char out[10];
          format_date_to(days, out);
          ASSERT_EQ(std::string(out, 10), text);
        }
      }
    }
  }
}

TEST(Date, LeapDays) {
  int32_t d = 0;
  EXPECT_TRUE(parse_date("2024-02-29", &d));
  EXPECT_TRUE(parse_date("2000-02-29", &d));
  EXPECT_TRUE(parse_date("2400-02-29", &d));
  EXPECT_TRUE(parse_date("0004-02-29", &d));
  EXPECT_FALSE(parse_date("2025-02-29", &d));
  EXPECT_FALSE(parse_date("1900-02-29", &d));
  EXPECT_FALSE(parse_date("2100-02-29", &d));
  EXPECT_FALSE(parse_date("2024-02-30", &d));
}

TEST(Date, RejectsMalformedOrImpossibleDates) {
  const char* bad[] = {
      "2025-13-01", "2025-00-10", "2025-1-01",  "2025-01-1",   "2025-01-32",    "2025-04-31",
      "2025-06-31", "2025-01-00", "0000-01-01", "2025/01/01",  "2025-01-01 ",   " 2025-01-01",
      "",           "2025-01-0a", "+025-01-01", "-025-01-01",  "20250101",      "2025-01-011",
      "25-01-01",   "2025-1-1",   "2025-01--1", "２025-01-01", "2025-0\x00-01", "9999-12-32",
      "2025-02-29"};
  for (const char* text : bad) {
    int32_t d = 0;
    EXPECT_FALSE(parse_date(text, &d)) << '"' << text << '"';
  }
  // An embedded NUL must not be read as the end of the text.
  int32_t d = 0;
  EXPECT_FALSE(parse_date(std::string_view("2025-01-0\0", 10), &d));
}

TEST(Money, ParsesAcceptedSpellings) {
  const std::pair<const char*, int64_t> good[] = {{"12", 1200},
                                                  {"12.5", 1250},
                                                  {"12.50", 1250},
                                                  {"-0.07", -7},
                                                  {"0", 0},
                                                  {"-0", 0},
                                                  {"0.00", 0},
                                                  {"0.01", 1},
                                                  {"007.5", 750},
                                                  {"-12.34", -1234},
                                                  {"499.99", 49999},
                                                  {"1.05", 105},
                                                  {"123456789.01", 12345678901},
                                                  {"900000000000000", 90000000000000000},
                                                  {"-900000000000000.00", -90000000000000000}};
  for (auto [text, cents] : good) {
    int64_t v = 42;
    ASSERT_TRUE(parse_cents(text, &v)) << text;
    EXPECT_EQ(v, cents) << text;
  }
}

TEST(Money, RejectsOtherSpellings) {
  const char* bad[] = {"12.",
                       ".5",
                       "1.234",
                       "1e3",
                       " 1",
                       "1 ",
                       "",
                       "-",
                       "+1",
                       "1,5",
                       "1.2.3",
                       "--1",
                       "-.5",
                       "1.-5",
                       "0x10",
                       "1.5a",
                       "1.a",
                       "\t1",
                       "12.5 ",
                       "1..2",
                       "1234567890123456",
                       "12345678901234567.00",
                       "NaN",
                       "inf"};
  for (const char* text : bad) {
    int64_t v = 0;
    EXPECT_FALSE(parse_cents(text, &v)) << '"' << text << '"';
  }
}

// money.h: "a value beyond +-9e16 cents returns false".
TEST(Money, RejectsValuesBeyondTheDocumentedLimit) {
  int64_t v = 0;
  EXPECT_TRUE(parse_cents("900000000000000.00", &v));
  EXPECT_FALSE(parse_cents("900000000000000.01", &v)) << "parsed to " << v;
  EXPECT_FALSE(parse_cents("-900000000000000.01", &v)) << "parsed to " << v;
  EXPECT_FALSE(parse_cents("999999999999999.99", &v)) << "parsed to " << v;
}

TEST(Money, FormatsCents) {
  EXPECT_EQ(format_cents(0), "0.00");
  EXPECT_EQ(format_cents(5), "0.05");
  EXPECT_EQ(format_cents(-7), "-0.07");
  EXPECT_EQ(format_cents(-100), "-1.00");
  EXPECT_EQ(format_cents(123456), "1234.56");
  EXPECT_EQ(format_cents(std::numeric_limits<int64_t>::max()), "92233720368547758.07");
  EXPECT_EQ(format_cents(std::numeric_limits<int64_t>::min()), "-92233720368547758.08");
}

TEST(Money, FormatThenParseRoundTrips) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> any(-90000000000000000, 90000000000000000);
  std::uniform_int_distribution<int64_t> small(-100000, 100000);
  for (int i = 0; i < 20000; ++i) {
    const int64_t cents = i % 2 ? any(rng) : small(rng);
    int64_t back = 0;
    const std::string text = format_cents(cents);
    ASSERT_TRUE(parse_cents(text, &back)) << text;
    ASSERT_EQ(back, cents) << text;
  }
}

TEST(Hash, StreamingEqualsOneShotForAnySplit) {
  std::mt19937_64 rng(11);
  for (size_t size : {0u, 1u, 3u, 15u, 16u, 17u, 128u, 129u, 240u, 241u, 1000u, 70000u}) {
    std::string data(size, '\0');
    for (auto& c : data) c = static_cast<char>(rng());
    const uint64_t whole = hash64(data.data(), data.size());
    for (int trial = 0; trial < 20; ++trial) {
      Hasher h;
      size_t pos = 0;
      while (pos < size) {
        const size_t n = std::min<size_t>(size - pos, trial == 0 ? 1 : 1 + rng() % (size / 3 + 1));
        h.update(data.data() + pos, n);
        if (trial % 3 == 0) h.update(data.data() + pos, 0);  // empty updates change nothing
        pos += n;
      }
      ASSERT_EQ(h.digest(), whole) << "size " << size << " trial " << trial;
    }
    Hasher h;
    h.update("garbage");
    h.reset();
    h.update(std::string_view(data));
    EXPECT_EQ(h.digest(), whole);
    EXPECT_EQ(h.digest(), whole);  // digest() does not consume the state
  }
  EXPECT_NE(hash64("a", 1), hash64("b", 1));
  // A content hash must see leading and trailing zero bytes (a plain CRC with zero init does not).
  const std::string zeros(64, '\0');
  EXPECT_NE(hash64(zeros.data(), 1), hash64(zeros.data(), 2));
  EXPECT_NE(hash64(zeros.data(), 0), hash64(zeros.data(), 1));
  EXPECT_NE(hash64("\0a", 2), hash64("a", 1));
}

TEST(Error, PlaceAndMessageFormat) {
  EXPECT_EQ(place("f.zip"), "f.zip");
  EXPECT_EQ(place("f.zip", 3), "f.zip:3");
  EXPECT_EQ(place("f.zip", 3, 7), "f.zip:3:7");
  try {
    fail_at("d/a.zip", 12, 4, "expected x, found y");
    FAIL() << "fail_at returned";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "d/a.zip:12:4: expected x, found y");
  }
  try {
    fail("d/a.zip", "expected a zip");
    FAIL() << "fail returned";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "d/a.zip: expected a zip");
  }
  EXPECT_EQ(quote_found("ab"), "\"ab\"");
  EXPECT_EQ(quote_found("a\"b\\c\n\x7f"), "\"a\\\"b\\\\c\\x0a\\x7f\"");
  const std::string long_text(100, 'x');
  EXPECT_EQ(quote_found(long_text), "\"" + std::string(40, 'x') + "...\"");
  // Always a single line, whatever was found.
  EXPECT_EQ(quote_found("a\r\nb").find('\n'), std::string::npos);
}

// hash_combine.h: joining the hashes of two pieces gives the hash of the whole, for every split
// (empty pieces included) and for lengths whose bits exercise the whole power table.
TEST(Hash, CombiningPieceHashesGivesTheWholeHash) {
  std::mt19937_64 rng(99);
  std::string data(300000, '\0');
  for (auto& c : data) c = static_cast<char>(rng());
  const uint64_t whole = hash64(data.data(), data.size());
  for (size_t cut : {size_t{0}, size_t{1}, size_t{7}, size_t{4096}, size_t{123457}, data.size()}) {
    const uint64_t a = hash64(data.data(), cut);
    const uint64_t b = hash64(data.data() + cut, data.size() - cut);
    EXPECT_EQ(hash64_combine(a, b, data.size() - cut), whole) << "cut at " << cut;
  }
  // Many pieces, joined left to right.
  uint64_t joined = hash64(nullptr, 0);
  for (size_t pos = 0; pos < data.size();) {
    const size_t n = std::min<size_t>(data.size() - pos, 1 + rng() % 50000);
    joined = hash64_combine(joined, hash64(data.data() + pos, n), n);
    pos += n;
  }
  EXPECT_EQ(joined, whole);
  EXPECT_NE(hash64_combine(hash64("a", 1), hash64("b", 1), 1), hash64("ba", 2));
}
