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
  // toml++ describes a bad boolean with the newline it saw: the line stays one line.
  EXPECT_EQ(error_with("delimiter = \",\"", "header = tru"),
            "job.toml:4:13: expected valid TOML, found an error in a boolean: expected 'true', "
            "saw 'tru\\n'");
  EXPECT_EQ(error_with("delimiter = \",\"", "null = [\"\" \"x\"]"),
            "job.toml:4:12: expected valid TOML, found an error in an array: expected comma or "
            "closing ']', saw '\"'");
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
      "job.toml:8:19: expected a key of columns.quantity_sold (from, type), found \"form\" "
      "(did you mean \"from\"?)");
  EXPECT_EQ(error_with("pattern = ", "patern = "),
            "job.toml:2:1: expected a key of [source] (pattern, container, entry), found "
            "\"patern\" (did you mean \"pattern\"?)");
}

TEST(JobErrors, MeasureOverUndeclaredColumn) {
  EXPECT_EQ(error_with("sum(quantity_sold)", "sum(quantity)"),
            "job.toml:14:18: expected a declared column in sum(...) for "
            "table.measures.total_quantity, found \"quantity\" (did you mean \"quantity_sold\"?)");
  EXPECT_EQ(error_with("count()", "count(nope)"),
            "job.toml:15:15: expected a declared column in count(...) for "
            "table.measures.order_count, found \"nope\"");
}

TEST(JobErrors, MeasureThatDoesNotParseOrFit) {
  EXPECT_EQ(error_with("sum(quantity_sold)", "avg(quantity_sold)"),
            "job.toml:14:18: expected a measure (sum(col), count(), count(col), min(col) or "
            "max(col)) for table.measures.total_quantity, found \"avg(quantity_sold)\"");
  EXPECT_EQ(error_with("sum(quantity_sold)", "sum(sku_id)"),
            "job.toml:14:18: expected an int or decimal column in sum(...) for "
            "table.measures.total_quantity, found sku_id, a string column");
  EXPECT_EQ(error_with("sum(quantity_sold)", "max(sku_id)"),
            "job.toml:14:18: expected an int, decimal or date column in max(...) for "
            "table.measures.total_quantity, found sku_id, a string column");
  EXPECT_EQ(error_with("\"sum(quantity_sold)\"", "3"),
            "job.toml:14:18: expected a string for table.measures.total_quantity, found the "
            "integer 3");
}

TEST(JobErrors, NameUsedTwiceInOneTable) {
  EXPECT_EQ(error_with("order_count", "sku_id"),
            "job.toml:15:1: expected a column name not used twice in table processed_sales for "
            "table.measures.sku_id, found \"sku_id\" (stored beside \"sku_id\" of "
            "table.group_by)");
  EXPECT_EQ(error_with("order_count", "client_id"),
            "job.toml:15:1: expected a column name not used twice in table processed_sales for "
            "table.measures.client_id, found \"client_id\" (stored beside client_id, every "
            "table's first column)");
  EXPECT_EQ(error_with(R"(["transaction_date", "sku_id"])", R"(["sku_id", "sku_id"])"),
            "job.toml:12:23: expected each column once for table.group_by, found \"sku_id\" "
            "again");
  EXPECT_EQ(error_with("order_count = \"count()\"",
                       "order_count = \"count()\"\ntotal_quantity = \"count()\""),
            "job.toml:16:18: expected valid TOML, found an error in a key-value pair: cannot "
            "redefine existing string 'total_quantity'");
  EXPECT_EQ(error_of(std::string(kBase) +
                     "[[table]]\nname = \"processed_sales\"\n[table.measures]\nn = \"count()\"\n"),
            "job.toml:17:8: expected a name not used by another [[table]] (in any letter case) "
            "for table.name, found \"processed_sales\" (beside \"processed_sales\")");
}

TEST(JobErrors, TypeThatDoesNotParse) {
  EXPECT_EQ(error_with(R"("int")", R"("integer")"),
            "job.toml:8:17: expected a column type (date, date:FORMAT, string, int or "
            "decimal(S)) for columns.quantity_sold, found \"integer\"");
  EXPECT_EQ(error_with(R"("string")", R"("strng")"),
            "job.toml:7:10: expected a column type (date, date:FORMAT, string, int or "
            "decimal(S)) for columns.sku_id, found \"strng\" (did you mean \"string\"?)");
  EXPECT_EQ(error_with("decimal(2)", "decimal(20)"),
            "job.toml:9:15: expected decimal(S) with S from 0 to 18 for columns.revenue_usd, "
            "found \"decimal(20)\"");
  EXPECT_EQ(error_with("decimal(2)", "decimal(x)"),
            "job.toml:9:15: expected decimal(S) with S from 0 to 18 for columns.revenue_usd, "
            "found \"decimal(x)\"");
  EXPECT_EQ(error_with(R"("date")", R"("date:%d/%Q")"),
            "job.toml:6:20: expected a date format of %Y, %m, %d or %j, %% and literal text, "
            "with %Y and either %m and %d or %j for columns.transaction_date, found \"%Q\" in "
            "\"%d/%Q\"");
  EXPECT_EQ(error_with(R"("date")", R"("date:%Q")"),
            "job.toml:6:20: expected a date format of %Y, %m, %d or %j, %% and literal text, "
            "with %Y and either %m and %d or %j for columns.transaction_date, found \"%Q\"");
  EXPECT_EQ(error_with(R"(quantity_sold = "int")", R"(quantity_sold = { type = "nt" })"),
            "job.toml:8:26: expected a column type (date, date:FORMAT, string, int or "
            "decimal(S)) for columns.quantity_sold.type, found \"nt\" (did you mean \"int\"?)");
  EXPECT_EQ(error_with(R"(quantity_sold = "int")", R"(quantity_sold = { from = "q" })"),
            "job.toml:8:17: expected a value for columns.quantity_sold.type, found none");
  EXPECT_EQ(error_with(R"(quantity_sold = "int")", "quantity_sold = 3"),
            "job.toml:8:17: expected a type (\"int\") or { from = ..., type = ... } for "
            "columns.quantity_sold, found the integer 3");
}

TEST(JobErrors, PatternWithoutClientOrDay) {
  EXPECT_EQ(error_with("{client}/transactions_day_{day}", "transactions_day_{day}"),
            "job.toml:2:11: expected a pattern with {client} once and {day} or {date:FORMAT} "
            "once for source.pattern, found \"transactions_day_{day}.zip\"");
  EXPECT_EQ(error_with("transactions_day_{day}", "transactions"),
            "job.toml:2:11: expected a pattern with {client} once and {day} or {date:FORMAT} "
            "once for source.pattern, found \"{client}/transactions.zip\"");
  EXPECT_EQ(error_with("{day}", "{dya}"),
            "job.toml:2:11: expected {client}, {day} or {date:FORMAT} in the pattern for "
            "source.pattern, found \"{dya}\" (did you mean \"{day}\"?)");
  EXPECT_EQ(error_with(".zip", ".parquet"),
            "job.toml:2:11: expected a pattern ending in .zip, .csv.gz, .gz, .csv, .csv.zst or "
            ".zst (or a container key in [source]) for source.pattern, found "
            "\"{client}/transactions_day_{day}.parquet\"");
  EXPECT_EQ(error_with(".zip\"", ".zip\"\ncontainer = \"zipp\""),
            "job.toml:3:13: expected a container (zip, gzip, csv or zstd) for source.container, "
            "found \"zipp\" (did you mean \"zip\"?)");
  // The pattern is quoted whole, however long.
  EXPECT_EQ(error_with("{day}.zip", "{day}_{day}.zip"),
            "job.toml:2:11: expected a pattern with {client} once and {day} or {date:FORMAT} "
            "once for source.pattern, found \"{client}/transactions_day_{day}_{day}.zip\"");
}

TEST(JobErrors, InvalidNames) {
  EXPECT_EQ(error_with("sku_id = ", "\"sku id\" = "),
            "job.toml:7:1: expected a name of letters, digits and _ that does not start with a "
            "digit for columns, found \"sku id\"");
  EXPECT_EQ(error_with("sku_id = ", "\"2nd\" = "),
            "job.toml:7:1: expected a name of letters, digits and _ that does not start with a "
            "digit for columns, found \"2nd\"");
  EXPECT_EQ(error_with("sku_id = ", "order = "),
            "job.toml:7:1: expected a name that is not a reserved word of SQLite or "
            "PostgreSQL for columns, found \"order\"");
  EXPECT_EQ(error_with("\"processed_sales\"", "\"Select\""),
            "job.toml:11:8: expected a name that is not a reserved word of SQLite or "
            "PostgreSQL for table.name, found \"Select\"");
  EXPECT_EQ(error_with("order_count", "\"order count\""),
            "job.toml:15:1: expected a name of letters, digits and _ that does not start with a "
            "digit for table.measures, found \"order count\"");
}

TEST(JobErrors, GroupByUnknownColumn) {
  EXPECT_EQ(error_with("\"sku_id\"]", "\"sku\"]"),
            "job.toml:12:33: expected a declared column for table.group_by, found \"sku\" (did "
            "you mean \"sku_id\"?)");
  EXPECT_EQ(error_with(R"(["transaction_date", "sku_id"])", R"("sku_id")"),
            "job.toml:12:12: expected an array of column names for table.group_by, found "
            "\"sku_id\"");
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
            "job.toml:1:1: expected a value for source.pattern, found none");
  EXPECT_EQ(error_with("name = \"processed_sales\"", ""),
            "job.toml:10:1: expected a value for table.name, found none");
  EXPECT_EQ(error_of("[source]\npattern = \"{client}/{day}.zip\"\n[columns]\n"),
            "job.toml:3:1: expected at least one column in [columns], found none");
}

TEST(JobErrors, CsvCharactersAndFlags) {
  EXPECT_EQ(error_with("\",\"", "\",,\""),
            "job.toml:4:13: expected one character other than a line end for csv.delimiter, "
            "found \",,\"");
  EXPECT_EQ(error_with("delimiter", "quote"),
            "job.toml:4:9: expected a quote other than the delimiter for csv.quote, found \",\"");
  EXPECT_EQ(error_with("delimiter = \",\"", "header = \"yes\""),
            "job.toml:4:10: expected true or false for csv.header, found \"yes\"");
  EXPECT_EQ(error_with("delimiter = \",\"", "null = [1]"),
            "job.toml:4:9: expected a string for csv.null, found the integer 1");
  EXPECT_EQ(error_with("delimiter = \",\"", "null = \"NULL\""),
            "job.toml:4:8: expected an array of strings for csv.null, found \"NULL\"");
  std::string text = kBase;
  text.erase(text.find("[csv]"), std::string("[csv]\ndelimiter = \",\"\n").size());
  EXPECT_EQ(error_of("csv = 3\n" + text),
            "job.toml:1:7: expected a table for csv, found the integer 3");
}

TEST(JobErrors, FromPositionAgainstHeader) {
  EXPECT_EQ(error_with(R"(quantity_sold = "int")", R"(quantity_sold = { from = 3, type = "int" })"),
            "job.toml:8:26: expected a header name (header = true) for "
            "columns.quantity_sold.from, found the integer 3");
  EXPECT_EQ(error_with("delimiter = \",\"", "header = false"), "no error");
  std::string headerless = kBase;
  headerless.replace(headerless.find("delimiter = \",\""), 15, "header = false");
  const auto with = [&](const std::string& from, const std::string& to) {
    std::string text = headerless;
    return error_of(text.replace(text.find(from), from.size(), to));
  };
  EXPECT_EQ(with(R"(quantity_sold = "int")", R"(quantity_sold = { from = "Qty", type = "int" })"),
            "job.toml:8:26: expected a 1-based position (header = false) for "
            "columns.quantity_sold.from, found \"Qty\"");
  EXPECT_EQ(with(R"(quantity_sold = "int")", R"(quantity_sold = { from = 0, type = "int" })"),
            "job.toml:8:26: expected a 1-based position (header = false) for "
            "columns.quantity_sold.from, found the integer 0");
  EXPECT_EQ(with(R"(quantity_sold = "int")", R"(quantity_sold = { from = 2, type = "int" })"),
            "job.toml:8:1: expected a field no other column reads for columns.quantity_sold, "
            "found position 2 again (columns.sku_id reads it too)");
}

TEST(JobErrors, TableNameWithAReservedPrefix) {
  for (const char* name : {"snapdelta_state", "snapdelta_meta", "SNAPDELTA_RUNS", "sqlite_master",
                           "Sqlite_sequence", "pg_class", "PG_stats"}) {
    EXPECT_EQ(error_with("\"processed_sales\"", std::string("\"") + name + "\""),
              std::string("job.toml:11:8: expected a name that does not start with snapdelta_, "
                          "sqlite_ or pg_ (the tool's and the stores' own tables) for table.name, "
                          "found \"") +
                  name + "\"")
        << name;
  }
  EXPECT_EQ(error_with("\"processed_sales\"", "\"pgsales\""), "no error");
}

TEST(JobErrors, TableNamesDifferingOnlyInCase) {
  EXPECT_EQ(error_of(std::string(kBase) +
                     "[[table]]\nname = \"PROCESSED_SALES\"\n[table.measures]\nn = \"count()\"\n"),
            "job.toml:17:8: expected a name not used by another [[table]] (in any letter case) "
            "for table.name, found \"PROCESSED_SALES\" (beside \"processed_sales\")");
}

TEST(JobErrors, StoredColumnNamesUsedTwice) {
  EXPECT_EQ(error_with("order_count", "SKU_ID"),
            "job.toml:15:1: expected a column name not used twice in table processed_sales for "
            "table.measures.SKU_ID, found \"SKU_ID\" (stored beside \"sku_id\" of "
            "table.group_by)");
  EXPECT_EQ(error_with("order_count", "Client_ID"),
            "job.toml:15:1: expected a column name not used twice in table processed_sales for "
            "table.measures.Client_ID, found \"Client_ID\" (stored beside client_id, every "
            "table's first column)");
  // A decimal sum is stored as total_revenue_cents beside a generated total_revenue.
  EXPECT_EQ(error_with("order_count = \"count()\"",
                       "total_revenue = \"sum(revenue_usd)\"\ntotal_revenue_cents = \"count()\""),
            "job.toml:16:1: expected a column name not used twice in table processed_sales for "
            "table.measures.total_revenue_cents, found \"total_revenue_cents\" (stored beside "
            "\"total_revenue_cents\" of table.measures.total_revenue)");
  EXPECT_EQ(error_with("order_count = \"count()\"",
                       "TOTAL_REVENUE_CENTS = \"count()\"\ntotal_revenue = \"max(revenue_usd)\""),
            "job.toml:16:1: expected a column name not used twice in table processed_sales for "
            "table.measures.total_revenue, found \"total_revenue_cents\" (stored beside "
            "\"TOTAL_REVENUE_CENTS\" of table.measures.TOTAL_REVENUE_CENTS)");
  // Another scale is stored as <name>_units.
  std::string text = kBase;
  text.replace(text.find("decimal(2)"), 10, "decimal(3)");
  text.replace(text.find("order_count = \"count()\""), 23,
               "r_units = \"count()\"\nr = \"sum(revenue_usd)\"");
  EXPECT_EQ(error_of(text),
            "job.toml:16:1: expected a column name not used twice in table processed_sales for "
            "table.measures.r, found \"r_units\" (stored beside \"r_units\" of "
            "table.measures.r_units)");
  // A group_by column named as a decimal measure's stored units.
  EXPECT_EQ(error_of("[source]\npattern = \"{client}/d_{day}.csv\"\n[columns]\n"
                     "total_revenue_cents = \"string\"\nrevenue = \"decimal(2)\"\n[[table]]\n"
                     "name = \"t\"\ngroup_by = [\"total_revenue_cents\"]\n[table.measures]\n"
                     "total_revenue = \"sum(revenue)\"\n"),
            "job.toml:10:1: expected a column name not used twice in table t for "
            "table.measures.total_revenue, found \"total_revenue_cents\" (stored beside "
            "\"total_revenue_cents\" of table.group_by)");
  // Two tables may each use a name once.
  EXPECT_EQ(error_of(std::string(kBase) +
                     "[[table]]\nname = \"other\"\n[table.measures]\nsku_id = \"count()\"\n"),
            "no error");
}
