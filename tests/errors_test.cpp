// One test per error class, through the real binary: each bad day file makes `snapdelta run` exit
// non-zero with exactly one line on stderr, `path[:line[:column]]: ...`, naming the right file,
// line and column; the database that already held state is byte-identical afterwards (incremental
// and full mode); and a first run that fails creates no database file at all.
#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "test_support.h"

using namespace snapdelta;
using test::TempDir;

namespace {

const std::string kHead = "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";
const std::string kDay1 = kHead +
                          "T1,2025-01-01,SKU_1,2,10.50\n"
                          "T2,2025-01-01,SKU_2,1,3.00\n"
                          "T3,2025-01-02,SKU_1,5,7.25\n";

struct ErrorCase {
  std::string name;
  std::function<void(const std::string& path)> write;  // writes the bad day-2 file
  uint64_t line = 0;                                   // 0: no line in the place
  uint64_t column = 0;                                 // 0: no column in the place
  std::string words;                                   // must appear in the message
};

std::ostream& operator<<(std::ostream& os, const ErrorCase& c) { return os << c.name; }

std::function<void(const std::string&)> csv(std::string text) {
  return [text](const std::string& path) { test::write_zip_text(path, text); };
}

// Day 1 plus one appended row (line 5).
std::function<void(const std::string&)> bad_row(const std::string& row) {
  return csv(kDay1 + row + "\n");
}

std::vector<ErrorCase> cases() {
  return {
      {"MissingFile", [](const std::string&) {}, 0, 0, "cannot open"},
      {"NotAZip",
       [](const std::string& p) {
         test::write_file(p, "T1,2025-01-01,SKU_1,2,10.50\nnot a zip\n");
       },
       0, 0, "zip"},
      {"TruncatedZip",
       [](const std::string& p) {
         test::write_zip_text(p, kDay1 + "T4,2025-01-03,SKU_3,1,1.00\n");
         const std::string bytes = test::read_file(p);
         test::write_file(p, bytes.substr(0, bytes.size() * 2 / 3));
       },
       0, 0, "zip"},
      {"CorruptDeflateData",
       [](const std::string& p) {
         const std::string text = kDay1 + "T4,2025-01-03,SKU_3,1,1.00\n";
         std::string deflate = test::raw_deflate(text, 6);
         deflate[0] = static_cast<char>(0xFF);  // a final block of the reserved type 3
         test::write_zip_raw(p, deflate, text.size(), test::crc_of(text));
       },
       0, 0, "corrupt"},
      {"WrongCrc",
       [](const std::string& p) {
         const std::string text = kDay1 + "T4,2025-01-03,SKU_3,1,1.00\n";
         test::write_zip_raw(p, test::raw_deflate(text, 6), text.size(), test::crc_of(text) ^ 1);
       },
       0, 0, "CRC"},
      {"WrongDeclaredSize",
       [](const std::string& p) {
         const std::string text = kDay1 + "T4,2025-01-03,SKU_3,1,1.00\n";
         test::write_zip_raw(p, test::raw_deflate(text, 6), text.size() + 100, test::crc_of(text));
       },
       0, 0, "bytes"},
      // (inflater_test checks the wording; here the place and the untouched database)
      {"EmptyArchive", [](const std::string& p) { test::write_empty_zip(p); }, 0, 0, "archive"},
      {"EmptyCsvMember", csv(""), 1, 1, "empty CSV"},
      {"WrongHeader",
       csv("transaction_id,transaction_date,sku,quantity_sold,revenue_usd\n"
           "T1,2025-01-01,SKU_1,2,10.50\n"),
       1, 1,
       "expected a column \"sku_id\" in the header, found "
       "\"transaction_id,transaction_date,sku,quantity_sold,revenue_usd\""},
      {"TooFewFields", bad_row("T4,2025-01-03,SKU_3,1"), 5, 22, "expected 5 fields"},
      {"TooManyFields", bad_row("T4,2025-01-03,SKU_3,1,1.00,x"), 5, 28, "expected 5 fields"},
      {"NonNumericQuantity", bad_row("T4,2025-01-03,SKU_3,one,1.00"), 5, 21, "quantity_sold"},
      {"OverflowingQuantity", bad_row("T4,2025-01-03,SKU_3,12345678901234567890,1.00"), 5, 21,
       "9223372036854775807"},
      {"MalformedRevenue", bad_row("T4,2025-01-03,SKU_3,1,1.005"), 5, 23, "revenue_usd"},
      {"InvalidDate", bad_row("T4,2025-02-29,SKU_3,1,1.00"), 5, 4, "transaction_date"},
      {"UnterminatedQuote", bad_row("T4,2025-01-03,\"SKU_3,1,1.00"), 5, 15, "closing"},
      {"LineOverOneMebibyte", bad_row("T4,2025-01-03,SKU_3,1,1.00" + std::string(1 << 20, '0')), 5,
       1, "at most"},
  };
}

class ErrorClass : public ::testing::TestWithParam<ErrorCase> {
 protected:
  void SetUp() override {
    data_ = dir_ / "data";
    test::write_zip_text(test::day_path(data_, "c", 1), kDay1);
    bad_ = test::day_path(data_, "c", 2);
    std::filesystem::create_directories(std::filesystem::path(bad_).parent_path());
    GetParam().write(bad_);
  }

  test::ProcessResult run(const std::string& mode, const std::string& db, int day = 2) {
    return test::run_snapdelta({"run", "--mode", mode, "--client", "c", "--day",
                                std::to_string(day), "--data-dir", data_, "--db", db, "--json"},
                               dir_.str());
  }

  // Exit code, stdout and the one stderr line with the right place.
  void expect_located_failure(const test::ProcessResult& r, const std::string& how) {
    SCOPED_TRACE(how);
    const ErrorCase& c = GetParam();
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "") << "nothing on stdout on error";
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.back(), '\n');
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "stderr: " << r.err;
    const std::regex located("^" + test::regex_escape(bad_) +
                             "(?::([0-9]+)(?::([0-9]+))?)?: (.+)\n$");
    std::smatch m;
    ASSERT_TRUE(std::regex_match(r.err, m, located)) << "stderr: " << r.err;
    const uint64_t line = m[1].matched ? std::stoull(m[1].str()) : 0;
    const uint64_t column = m[2].matched ? std::stoull(m[2].str()) : 0;
    EXPECT_EQ(line, c.line) << "stderr: " << r.err;
    EXPECT_EQ(column, c.column) << "stderr: " << r.err;
    EXPECT_NE(m[3].str().find(c.words), std::string::npos) << "stderr: " << r.err;
    // Every class says what it expected, then what it found, the container's faults included
    // (a zip member's fault may name the member first, a missing drop the system's error).
    static const std::regex said(
        "(?:member [^:]+: |cannot open file: [^;]+; )?expected .+, found .+");
    EXPECT_TRUE(std::regex_match(m[3].str(), said)) << "stderr: " << r.err;
    if (c.line > 0) {
      EXPECT_EQ(m[3].str().rfind("expected ", 0), 0u) << "stderr: " << r.err;
    }
  }

  TempDir dir_{"errors"};
  std::string data_;
  std::string bad_;
};

bool exists_any(const std::string& db) {
  return std::filesystem::exists(db) || std::filesystem::exists(db + "-wal") ||
         std::filesystem::exists(db + "-shm") || std::filesystem::exists(db + "-journal");
}

}  // namespace

TEST_P(ErrorClass, FailsAtTheRightPlaceAndLeavesTheDatabaseByteIdentical) {
  const std::string db = dir_ / "state.db";
  {
    const auto first = run("incremental", db, 1);
    ASSERT_EQ(first.exit_code, 0) << first.err;
  }
  const std::string before = test::read_file(db);
  const auto rows = test::db_rows(db, "c");
  ASSERT_EQ(rows.size(), 3u);
  for (const std::string mode : {"incremental", "full"}) {
    expect_located_failure(run(mode, db), mode + " on a database with state");
    EXPECT_TRUE(test::read_file(db) == before) << mode << ": the database file changed";
    EXPECT_FALSE(std::filesystem::exists(db + "-journal"));
  }
  EXPECT_EQ(test::db_rows(db, "c"), rows);
  // The state still says day 1: day 1 again is a no-op.
  const auto again = run("incremental", db, 1);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("\"noop\""), std::string::npos) << again.out;
}

TEST_P(ErrorClass, FailedFirstRunCreatesNoDatabase) {
  for (const std::string mode : {"incremental", "full"}) {
    const std::string db = dir_ / ("fresh_" + mode + ".db");
    expect_located_failure(run(mode, db), mode + " first run");
    EXPECT_FALSE(exists_any(db)) << mode << ": a failed first run left a database file";
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, ErrorClass, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<ErrorCase>& info) {
                           return info.param.name;
                         });

// A database another snapdelta wrote with a newer schema is refused by name, and left alone.
TEST(Errors, NewerSchemaVersionIsRefusedAndNothingChanges) {
  TempDir dir("errors");
  const std::string data = dir / "data";
  const std::string db = dir / "state.db";
  test::write_zip_text(test::day_path(data, "c", 1), kDay1);
  test::write_zip_text(test::day_path(data, "c", 2), kDay1 + "T4,2025-01-03,SKU_3,1,1.00\n");
  auto run = [&](const std::string& mode, int day) {
    return test::run_snapdelta({"run", "--mode", mode, "--client", "c", "--day",
                                std::to_string(day), "--data-dir", data, "--db", db},
                               dir.str());
  };
  ASSERT_EQ(run("incremental", 1).exit_code, 0);
  {
    test::Sqlite raw(db, true);
    raw.exec("UPDATE snapdelta_meta SET value='5' WHERE key='schema_version'");
  }
  const std::string before = test::read_file(db);
  for (const std::string mode : {"incremental", "full"}) {
    const auto r = run(mode, 2);
    EXPECT_EQ(r.exit_code, 2) << mode;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind(db + ": ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find("schema version"), std::string::npos) << r.err;
    EXPECT_TRUE(test::read_file(db) == before) << mode;
  }
}

// Bad command lines are usage errors: non-zero, nothing written.
TEST(Errors, BadArgumentsAreRefusedWithoutCreatingADatabase) {
  TempDir dir("errors");
  const std::string db = dir / "x.db";
  const std::vector<std::vector<std::string>> bad = {
      {"run", "--mode", "sideways", "--client", "c", "--day", "1", "--db", db},
      {"run", "--mode", "full", "--client", "c", "--day", "0", "--db", db},
      {"run", "--mode", "full", "--day", "1", "--db", db},
      {"run", "--mode", "full", "--client", "c", "--db", db},
  };
  for (const auto& args : bad) {
    const auto r = test::run_snapdelta(args, dir.str());
    EXPECT_NE(r.exit_code, 0) << args[2] << " " << args[3];
    EXPECT_FALSE(r.err.empty());
    EXPECT_FALSE(exists_any(db));
  }
}
