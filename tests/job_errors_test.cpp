// Tests for src/job's job file errors: each class of mistake gives its one exact line,
// `path:line:column: expected ..., found ...`, placed at the key or value at fault.
#include <gtest/gtest.h>

#include <string>

#include "common/error.h"
#include "job/job_file.h"

using namespace snapdelta;

namespace {

const char* const kBase = R"TOML([source]
pattern = "{client}/transactions_day_{day}.zip"
[csv]
delimiter = ","
[columns]
transaction_date = "date"
sku_id = "string"
quantity_sold = "int"
revenue_usd = "decimal(2)"
[[table]]
name = "processed_sales"
group_by = ["transaction_date", "sku_id"]
[table.measures]
total_quantity = "sum(quantity_sold)"
order_count = "count()"
)TOML";

std::string error_of(const std::string& text) {
  try {
    parse_job(text, "job.toml");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// The error of kBase with its first `from` replaced by `to`.
std::string error_with(const std::string& from, const std::string& to) {
  std::string text = kBase;
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return error_of(text.replace(at, from.size(), to));
}

}  // namespace

TEST(JobErrors, BaseIsValid) { EXPECT_EQ(error_of(kBase), "no error"); }

TEST(JobErrors, TomlSyntax) {
  EXPECT_EQ(error_with(R"(day}.zip")", R"(day}.zip)"),
            "job.toml:2:47: expected valid TOML, found an error in a string: unescaped control "
            "characters other than TAB (U+0009) are explicitly prohibited");
  EXPECT_EQ(error_with("[csv]", "[csv]\n[csv]"),
            "job.toml:4:1: expected valid TOML, found an error in a table header: cannot "
            "redefine existing table 'csv'");
}

TEST(JobErrors, UnknownKeyWithNearMiss) {
  EXPECT_EQ(error_with("delimiter", "delimeter"),
            "job.toml:4:1: expected a key of [csv] (delimiter, quote, header, null), found "
            "\"delimeter\" (did you mean \"delimiter\"?)");
  EXPECT_EQ(error_with("[columns]", "[colums]"),
            "job.toml:5:2: expected a key of the job file (source, csv, columns, table), found "
            "\"colums\" (did you mean \"columns\"?)");
  EXPECT_EQ(error_with("[[table]]", "[[tables]]"),
            "job.toml:10:3: expected a key of the job file (source, csv, columns, table), found "
            "\"tables\" (did you mean \"table\"?)");
  EXPECT_EQ(error_with("[table.measures]", "[table.measure]"),
            "job.toml:13:8: expected a key of [[table]] (name, group_by, measures), found "
            "\"measure\" (did you mean \"measures\"?)");
  EXPECT_EQ(
      error_with(R"(quantity_sold = "int")", R"(quantity_sold = { form = "q", type = "int" })"),
      "job.toml:8:19: expected a key of a column (from, type), found \"form\" (did you "
      "mean \"from\"?)");
  EXPECT_EQ(error_with("pattern = ", "patern = "),
            "job.toml:2:1: expected a key of [source] (pattern, container, entry), found "
            "\"patern\" (did you mean \"pattern\"?)");
}

TEST(JobErrors, MeasureOverUndeclaredColumn) {
  EXPECT_EQ(error_with("sum(quantity_sold)", "sum(quantity)"),
            "job.toml:14:18: expected a declared column in sum(...), found \"quantity\" (did you "
            "mean \"quantity_sold\"?)");
  EXPECT_EQ(error_with("count()", "count(nope)"),
            "job.toml:15:15: expected a declared column in count(...), found \"nope\"");
}

TEST(JobErrors, MeasureThatDoesNotParseOrFit) {
  EXPECT_EQ(error_with("sum(quantity_sold)", "avg(quantity_sold)"),
            "job.toml:14:18: expected a measure (sum(col), count(), count(col), min(col) or "
            "max(col)), found \"avg(quantity_sold)\"");
  EXPECT_EQ(error_with("sum(quantity_sold)", "sum(sku_id)"),
            "job.toml:14:18: expected an int or decimal column in sum(...), found sku_id, a "
            "string column");
  EXPECT_EQ(error_with("sum(quantity_sold)", "max(sku_id)"),
            "job.toml:14:18: expected an int, decimal or date column in max(...), found sku_id, "
            "a string column");
}

TEST(JobErrors, NameUsedTwiceInOneTable) {
  EXPECT_EQ(error_with("order_count", "sku_id"),
            "job.toml:15:1: expected a measure name not used by another column of the table, "
            "found \"sku_id\" (a group_by column)");
  EXPECT_EQ(error_with("order_count", "client_id"),
            "job.toml:15:1: expected a name other than client_id (every table has it first), "
            "found \"client_id\"");
  EXPECT_EQ(error_with(R"(["transaction_date", "sku_id"])", R"(["sku_id", "sku_id"])"),
            "job.toml:12:23: expected each group_by column once, found \"sku_id\" again");
  EXPECT_EQ(error_with("order_count = \"count()\"",
                       "order_count = \"count()\"\ntotal_quantity = \"count()\""),
            "job.toml:16:18: expected valid TOML, found an error in a key-value pair: cannot "
            "redefine existing string 'total_quantity'");
  EXPECT_EQ(error_of(std::string(kBase) +
                     "[[table]]\nname = \"processed_sales\"\n[table.measures]\nn = \"count()\"\n"),
            "job.toml:17:8: expected a table name not used by another [[table]], found "
            "\"processed_sales\" again");
}

TEST(JobErrors, TypeThatDoesNotParse) {
  EXPECT_EQ(error_with(R"("int")", R"("integer")"),
            "job.toml:8:17: expected a column type (date, date:FORMAT, string, int or "
            "decimal(S)), found \"integer\"");
  EXPECT_EQ(error_with(R"("string")", R"("strng")"),
            "job.toml:7:10: expected a column type (date, date:FORMAT, string, int or "
            "decimal(S)), found \"strng\" (did you mean \"string\"?)");
  EXPECT_EQ(error_with("decimal(2)", "decimal(20)"),
            "job.toml:9:15: expected decimal(S) with S from 0 to 18, found \"decimal(20)\"");
  EXPECT_EQ(error_with(R"("date")", R"("date:%d/%Q")"),
            "job.toml:6:20: expected a date format of %Y, %m, %d or %j, %% and literal text, "
            "with %Y and either %m and %d or %j, found \"%Q\" in \"%d/%Q\"");
}

TEST(JobErrors, PatternWithoutClientOrDay) {
  EXPECT_EQ(error_with("{client}/transactions_day_{day}", "transactions_day_{day}"),
            "job.toml:2:11: expected a pattern with {client} once and {day} or {date:FORMAT} "
            "once, found \"transactions_day_{day}.zip\"");
  EXPECT_EQ(error_with("transactions_day_{day}", "transactions"),
            "job.toml:2:11: expected a pattern with {client} once and {day} or {date:FORMAT} "
            "once, found \"{client}/transactions.zip\"");
  EXPECT_EQ(error_with("{day}", "{dya}"),
            "job.toml:2:11: expected {client}, {day} or {date:FORMAT} in the pattern, found "
            "\"{dya}\" (did you mean \"{day}\"?)");
  EXPECT_EQ(error_with(".zip", ".parquet"),
            "job.toml:2:11: expected a pattern ending in .zip, .csv.gz, .gz, .csv, .csv.zst or "
            ".zst (or a container key in [source]), found "
            "\"{client}/transactions_day_{day}.parquet\"");
  EXPECT_EQ(error_with(".zip\"", ".zip\"\ncontainer = \"zipp\""),
            "job.toml:3:13: expected a container (zip, gzip, csv or zstd), found \"zipp\" (did "
            "you mean \"zip\"?)");
}

TEST(JobErrors, InvalidNames) {
  EXPECT_EQ(error_with("sku_id = ", "\"sku id\" = "),
            "job.toml:7:1: expected a name of letters, digits and _ that does not start with a "
            "digit, found \"sku id\"");
  EXPECT_EQ(error_with("sku_id = ", "\"2nd\" = "),
            "job.toml:7:1: expected a name of letters, digits and _ that does not start with a "
            "digit, found \"2nd\"");
  EXPECT_EQ(error_with("sku_id = ", "order = "),
            "job.toml:7:1: expected a name that is not a reserved word of SQLite or "
            "PostgreSQL, found \"order\"");
  EXPECT_EQ(error_with("\"processed_sales\"", "\"Select\""),
            "job.toml:11:8: expected a name that is not a reserved word of SQLite or "
            "PostgreSQL, found \"Select\"");
}

TEST(JobErrors, GroupByUnknownColumn) {
  EXPECT_EQ(error_with("\"sku_id\"]", "\"sku\"]"),
            "job.toml:12:33: expected a declared column in group_by, found \"sku\" (did you "
            "mean \"sku_id\"?)");
}

TEST(JobErrors, MissingOrEmptyParts) {
  const std::string base = kBase;
  EXPECT_EQ(error_of(base.substr(0, base.find("[[table]]"))),
            "job.toml:1:1: expected at least one [[table]], found none");
  EXPECT_EQ(error_of(base.substr(0, base.find("[table.measures]"))),
            "job.toml:10:1: expected at least one measure in [table.measures], found none");
  EXPECT_EQ(error_of(base.substr(base.find("[csv]"))),
            "job.toml:1:1: expected a [source] table, found none");
  EXPECT_EQ(error_with("pattern = ", "entry = "),
            "job.toml:1:1: expected pattern in [source], found none");
  EXPECT_EQ(error_of("[source]\npattern = \"{client}/{day}.zip\"\n[columns]\n"),
            "job.toml:3:1: expected at least one column in [columns], found none");
}

TEST(JobErrors, CsvCharactersAndFlags) {
  EXPECT_EQ(error_with("\",\"", "\",,\""),
            "job.toml:4:13: expected one character other than a line end for delimiter, found "
            "\",,\"");
  EXPECT_EQ(error_with("delimiter", "quote"),
            "job.toml:4:9: expected a quote other than the delimiter, found \",\"");
  EXPECT_EQ(error_with("delimiter = \",\"", "header = \"yes\""),
            "job.toml:4:10: expected true or false for header, found \"yes\"");
  EXPECT_EQ(error_with("delimiter = \",\"", "null = [1]"),
            "job.toml:4:9: expected a string for each null text, found the integer 1");
}

TEST(JobErrors, FromPositionAgainstHeader) {
  EXPECT_EQ(error_with(R"(quantity_sold = "int")", R"(quantity_sold = { from = 3, type = "int" })"),
            "job.toml:8:26: expected a header name for from (header = true), found the integer 3");
  EXPECT_EQ(error_with("delimiter = \",\"", "header = false"), "no error");
  std::string headerless = kBase;
  headerless.replace(headerless.find("delimiter = \",\""), 15, "header = false");
  const auto with = [&](const std::string& from, const std::string& to) {
    std::string text = headerless;
    return error_of(text.replace(text.find(from), from.size(), to));
  };
  EXPECT_EQ(with(R"(quantity_sold = "int")", R"(quantity_sold = { from = "Qty", type = "int" })"),
            "job.toml:8:26: expected a 1-based position for from (header = false), found \"Qty\"");
  EXPECT_EQ(with(R"(quantity_sold = "int")", R"(quantity_sold = { from = 0, type = "int" })"),
            "job.toml:8:26: expected a 1-based position for from (header = false), found the "
            "integer 0");
  EXPECT_EQ(with(R"(quantity_sold = "int")", R"(quantity_sold = { from = 2, type = "int" })"),
            "job.toml:8:1: expected each column read from its own field, found position 2 again "
            "(column sku_id reads it too)");
}
