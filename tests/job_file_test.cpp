// Tests for src/job's job file: the seed's job written out reads back as the built-in job, the
// short and long column forms, positions with header = false, the order of columns and
// measures, containers from the pattern, and the lookup rule (--job, snapdelta.toml, built-in).
#include "job/job_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/error.h"
#include "job/builtin_job.h"
#include "job/job_lookup.h"

using namespace snapdelta;

namespace {

// The built-in job as the job file documents it.
const char* const kSeedJob = R"TOML([source]
pattern = "{client}/transactions_day_{day}.zip"  # under --data-dir; {client}: one folder level;
                                                 # {day}: an integer, or {date:%Y%m%d} (strftime)
[csv]
delimiter = ","
quote = '"'
header = true          # columns by header name, any order; false: by position, in [columns] order
null = []              # texts read as null, e.g. [""] or ["", "NULL"]

[columns]              # only these are read; other columns are skipped, never parsed as values
transaction_date = "date"          # "date" = %Y-%m-%d; "date:%d/%m/%Y" for another format
sku_id = "string"
quantity_sold = "int"              # 64-bit
revenue_usd = "decimal(2)"         # exact, at most 2 fraction digits

[[table]]              # one or more; all of a job's tables advance in the run's one transaction
name = "processed_sales"
group_by = ["transaction_date", "sku_id"]
[table.measures]
total_quantity = "sum(quantity_sold)"
total_revenue = "sum(revenue_usd)"
order_count = "count()"
)TOML";

const char* const kCostJob = R"TOML([source]
pattern = "exports/{client}/costs_{date:%Y%m%d}.csv.gz"
[csv]
delimiter = ";"
null = ["", "NULL"]
[columns]
usage_date = "date:%d/%m/%Y"
service = "string"
cost_total = { from = "Cost Total $", type = "decimal(4)" }
account = { type = "string" }
[[table]]
name = "daily_cost"
group_by = ["usage_date", "service"]
[table.measures]
cost = "sum(cost_total)"
rows = "count()"
accounts_seen = "count(account)"
[[table]]
name = "cost_range"
[table.measures]
lowest = "min(cost_total)"
highest = "max(cost_total)"
first_day = "min(usage_date)"
)TOML";

}  // namespace

TEST(JobFile, SeedJobTextIsTheBuiltinJob) {
  EXPECT_EQ(parse_job(kSeedJob, "snapdelta.toml"), builtin_job());
}

TEST(JobFile, BuiltinJobSpelledOut) {
  const Job& job = builtin_job();
  EXPECT_EQ(job.source.pattern, "{client}/transactions_day_{day}.zip");
  EXPECT_EQ(job.source.container, Container::zip);
  ASSERT_EQ(job.columns.size(), 4u);
  EXPECT_EQ(job.columns[3].name, "revenue_usd");
  EXPECT_EQ(job.columns[3].type.kind, ColumnKind::decimal);
  EXPECT_EQ(job.columns[3].type.scale, 2);
  ASSERT_EQ(job.tables.size(), 1u);
  EXPECT_EQ(job.tables[0].group_by, (std::vector<uint32_t>{0, 1}));
  ASSERT_EQ(job.tables[0].measures.size(), 3u);
  EXPECT_EQ(job.tables[0].measures[2].kind, MeasureKind::count_rows);
  EXPECT_EQ(job.tables[0].measures[2].column, kNoColumn);
}

TEST(JobFile, LongFormsOrderAndSeveralTables) {
  const Job job = parse_job(kCostJob, "cost.toml");
  EXPECT_EQ(job.source.container, Container::gzip);
  EXPECT_EQ(job.csv.delimiter, ';');
  EXPECT_EQ(job.csv.quote, '"');
  EXPECT_TRUE(job.csv.header);
  EXPECT_EQ(job.csv.nulls, (std::vector<std::string>{"", "NULL"}));
  ASSERT_EQ(job.columns.size(), 4u);
  EXPECT_EQ(job.columns[0],
            (Column{"usage_date", "usage_date", 0, {ColumnKind::date, "%d/%m/%Y", 0}}));
  EXPECT_EQ(job.columns[2],
            (Column{"cost_total", "Cost Total $", 0, {ColumnKind::decimal, "", 4}}));
  EXPECT_EQ(job.columns[3].from_header, "account");
  ASSERT_EQ(job.tables.size(), 2u);
  const Table& daily = job.tables[0];
  EXPECT_EQ(daily.group_by, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(daily.measures[0], (Measure{"cost", MeasureKind::sum, 2}));
  EXPECT_EQ(daily.measures[1], (Measure{"rows", MeasureKind::count_rows, kNoColumn}));
  EXPECT_EQ(daily.measures[2], (Measure{"accounts_seen", MeasureKind::count, 3}));
  const Table& range = job.tables[1];
  EXPECT_TRUE(range.group_by.empty());
  EXPECT_EQ(range.measures[0], (Measure{"lowest", MeasureKind::min, 2}));
  EXPECT_EQ(range.measures[1], (Measure{"highest", MeasureKind::max, 2}));
  EXPECT_EQ(range.measures[2], (Measure{"first_day", MeasureKind::min, 0}));
}

TEST(JobFile, HeaderFalseReadsByPosition) {
  const Job job = parse_job(R"TOML([source]
pattern = "{client}/d{day}.csv"
container = "csv"
entry = "*.csv"
[csv]
header = false
[columns]
b = "int"
a = { from = 5, type = "string" }
c = "date"
[[table]]
name = "t"
group_by = ["a"]
[table.measures]
s = "sum(b)"
)TOML",
                            "pos.toml");
  EXPECT_EQ(job.source.entry, "*.csv");
  EXPECT_EQ(job.columns[0].from_position, 1u);
  EXPECT_EQ(job.columns[0].from_header, "");
  EXPECT_EQ(job.columns[1].from_position, 5u);
  EXPECT_EQ(job.columns[2].from_position, 3u);
}

TEST(JobFile, ContainerFromThePatternsExtension) {
  auto container = [](const std::string& pattern) {
    const std::string text = "[source]\npattern = \"" + pattern +
                             "\"\n[columns]\na = \"int\"\n[[table]]\nname = \"t\"\n"
                             "[table.measures]\nn = \"count()\"\n";
    return parse_job(text, "c.toml").source.container;
  };
  EXPECT_EQ(container("{client}/{day}.zip"), Container::zip);
  EXPECT_EQ(container("{client}/{day}.csv.gz"), Container::gzip);
  EXPECT_EQ(container("{client}/{day}.gz"), Container::gzip);
  EXPECT_EQ(container("{client}/{day}.csv"), Container::csv);
  EXPECT_EQ(container("{client}/{day}.csv.zst"), Container::zstd);
  EXPECT_EQ(container("{client}/{day}.zst"), Container::zstd);
}

TEST(JobFile, LookupRule) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("snapdelta_job_lookup_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  EXPECT_EQ(choose_job_file(std::nullopt, dir), std::nullopt);
  EXPECT_EQ(resolve_job(std::nullopt, dir), builtin_job());
  EXPECT_EQ(choose_job_file(std::string("other.toml"), dir), "other.toml");
  std::ofstream(dir / "snapdelta.toml") << kCostJob;
  EXPECT_EQ(choose_job_file(std::nullopt, dir), (dir / "snapdelta.toml").string());
  EXPECT_EQ(resolve_job(std::nullopt, dir), parse_job(kCostJob, "x"));
  EXPECT_EQ(choose_job_file(std::string("given.toml"), dir), "given.toml");
  const std::string missing = (dir / "missing.toml").string();
  try {
    resolve_job(missing, dir);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), missing + ": cannot open file: No such file or directory");
  }
  std::filesystem::remove_all(dir);
}
