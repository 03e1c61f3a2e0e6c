// Tests for src/job's canonical text and first difference: the text reads back as the same job,
// is stable, and a changed job is named by its first difference in one line.
#include <gtest/gtest.h>

#include <string>

#include "job/builtin_job.h"
#include "job/canonical.h"
#include "job/job_file.h"

using namespace snapdelta;

namespace {

const char* const kBuiltinCanonical = R"TOML(# snapdelta job, canonical form 1
[source]
pattern = "{client}/transactions_day_{day}.zip"
container = "zip"
entry = ""
[csv]
delimiter = ","
quote = "\""
header = true
null = []
[columns]
transaction_date = { from = "transaction_date", type = "date" }
sku_id = { from = "sku_id", type = "string" }
quantity_sold = { from = "quantity_sold", type = "int" }
revenue_usd = { from = "revenue_usd", type = "decimal(2)" }
[[table]]
name = "processed_sales"
group_by = ["transaction_date", "sku_id"]
[table.measures]
total_quantity = "sum(quantity_sold)"
total_revenue = "sum(revenue_usd)"
order_count = "count()"
)TOML";

}  // namespace

TEST(JobCanonical, BuiltinJobText) { EXPECT_EQ(canonical(builtin_job()), kBuiltinCanonical); }

TEST(JobCanonical, ReadsBackAsTheSameJob) {
  const Job odd = parse_job(R"TOML([source]
pattern = "{client}/x_{date:%Y%m%d}.dat"
container = "gzip"
entry = "*\"q\".csv"
[csv]
delimiter = "\t"
quote = "'"
header = false
null = ["", "N\\A"]
[columns]
a = { from = 3, type = "date:%d/%m/%Y" }
b = "decimal(4)"
[[table]]
name = "t"
[table.measures]
n = "count(a)"
lo = "min(b)"
)TOML",
                            "odd.toml");
  EXPECT_EQ(parse_job(canonical(odd), "canonical"), odd);
  EXPECT_EQ(parse_job(canonical(builtin_job()), "canonical"), builtin_job());
  EXPECT_EQ(first_difference(canonical(odd), odd), std::nullopt);
}

TEST(JobCanonical, FirstDifferenceNamesIt) {
  const std::string stored = canonical(builtin_job());
  auto differs = [&](auto change) {
    Job job = builtin_job();
    change(job);
    return first_difference(stored, job).value_or("same");
  };
  EXPECT_EQ(differs([](Job&) {}), "same");
  EXPECT_EQ(differs([](Job& j) { j.tables[0].measures[0].kind = MeasureKind::min; }),
            "table processed_sales: measure total_quantity was sum(quantity_sold), is now "
            "min(quantity_sold)");
  EXPECT_EQ(differs([](Job& j) { j.source.pattern = "{client}/t_{day}.zip"; }),
            "source pattern was \"{client}/transactions_day_{day}.zip\", is now "
            "\"{client}/t_{day}.zip\"");
  EXPECT_EQ(differs([](Job& j) { j.csv.nulls = {""}; }), "csv null was [], is now [\"\"]");
  EXPECT_EQ(differs([](Job& j) { j.columns[3].type.scale = 3; }),
            "column revenue_usd was decimal(2), is now decimal(3)");
  EXPECT_EQ(differs([](Job& j) { j.columns[1].from_header = "SKU"; }),
            "column sku_id source was \"sku_id\", is now \"SKU\"");
  EXPECT_EQ(differs([](Job& j) {
              j.columns.push_back({"x", "x", 0, {}});
            }),
            "column x was not declared, is now");
  EXPECT_EQ(differs([](Job& j) { j.tables[0].group_by = {1}; }),
            "table processed_sales: group_by was [\"transaction_date\", \"sku_id\"], is now "
            "[\"sku_id\"]");
  EXPECT_EQ(differs([](Job& j) { j.tables[0].measures.pop_back(); }),
            "table processed_sales: measure order_count was computed, is now not");
  EXPECT_EQ(differs([](Job& j) { j.tables.push_back(j.tables[0]), j.tables[1].name = "more"; }),
            "table more was not computed, is now");
  EXPECT_EQ(differs([](Job& j) { j.tables[0].name = "sales"; }),
            "table 1 was processed_sales, is now sales");
}

// With header = true, columns are found by header name: reordering [columns] changes nothing a
// database holds. With header = false their order is their position, and it does.
TEST(JobCanonical, ReorderedColumnsWithAHeaderAreTheSameJob) {
  const std::string stored = canonical(builtin_job());
  const std::string reordered = R"TOML([source]
pattern = "{client}/transactions_day_{day}.zip"
[columns]
quantity_sold = "int"
revenue_usd = "decimal(2)"
sku_id = "string"
transaction_date = "date"
[[table]]
name = "processed_sales"
group_by = ["transaction_date", "sku_id"]
[table.measures]
total_quantity = "sum(quantity_sold)"
total_revenue = "sum(revenue_usd)"
order_count = "count()"
)TOML";
  const Job job = parse_job(reordered, "job.toml");
  EXPECT_NE(canonical(job), stored);
  EXPECT_EQ(first_difference(stored, job), std::nullopt);
  std::string retyped = reordered;
  retyped.replace(retyped.find("\"int\""), 5, "\"decimal(0)\"");
  EXPECT_EQ(first_difference(stored, parse_job(retyped, "job.toml")),
            "column quantity_sold was int, is now decimal(0)");
  std::string fewer = reordered;
  fewer.erase(fewer.find("sku_id = \"string\"\n"), 18);
  fewer.replace(fewer.find(", \"sku_id\"]"), 11, "]");
  EXPECT_EQ(first_difference(stored, parse_job(fewer, "job.toml")),
            "column sku_id was declared, is now not");
  Job positional = builtin_job();
  positional.csv.header = false;
  for (uint32_t i = 0; i < positional.columns.size(); ++i) {
    positional.columns[i].from_header = "";
    positional.columns[i].from_position = i + 1;
  }
  Job swapped = positional;
  std::swap(swapped.columns[1], swapped.columns[2]);
  EXPECT_EQ(first_difference(canonical(positional), swapped),
            "column 2 was sku_id, is now quantity_sold");
}
