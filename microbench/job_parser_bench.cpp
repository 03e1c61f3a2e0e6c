// Micro-benchmarks of the job parser, on one generated 500K-row seed drop's CSV bytes fed in 1 MiB
// chunks: JobParser + JobGroups for the built-in job, JobParser alone (a job without tables:
// parsing and interning only), JobGroups::add_row alone on the drop's parsed rows, and a job with 3
// keys and 5 measures. Throughput is bytes/second of CSV text and rows (items) per second.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "aggregate/job_groups.h"
#include "common/date.h"
#include "csv/job_parser.h"
#include "generated_drop.h"
#include "job/builtin_job.h"

using namespace snapdelta;

namespace {

constexpr int64_t kRows = 500000;
constexpr size_t kChunk = 1 << 20;

const std::string& seed_csv() {
  static const std::string csv = GeneratedDrop(kRows).csv();
  return csv;
}

template <typename Parser>
void feed_all(Parser& parser, const std::string& csv) {
  for (size_t off = 0; off < csv.size(); off += kChunk) {
    parser.feed(csv.data() + off, std::min(kChunk, csv.size() - off));
  }
  parser.finish();
}

void finish_state(benchmark::State& state, uint64_t rows) {
  if (rows != static_cast<uint64_t>(kRows)) state.SkipWithError("wrong row count");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * seed_csv().size()));
  state.SetItemsProcessed(state.iterations() * kRows);
}

void run_job(benchmark::State& state, const Job& job) {
  uint64_t rows = 0;
  for (auto _ : state) {
    JobGroups groups(job);
    JobParser parser("bench.csv", job, groups, ParserStart::file_start(), "");
    feed_all(parser, seed_csv());
    rows = parser.rows();
    benchmark::DoNotOptimize(groups.groups());
  }
  finish_state(state, rows);
}

void BM_JobParserJobGroupsBuiltin(benchmark::State& state) { run_job(state, builtin_job()); }
BENCHMARK(BM_JobParserJobGroupsBuiltin)->Unit(benchmark::kMillisecond);

// The built-in job's columns without tables: add_row() has no table to update.
void BM_JobParserOnlyBuiltinColumns(benchmark::State& state) {
  Job job = builtin_job();
  job.tables.clear();
  run_job(state, job);
}
BENCHMARK(BM_JobParserOnlyBuiltinColumns)->Unit(benchmark::kMillisecond);

// Keys (transaction_date, sku_id, quantity_sold); sum, count(), min, max and count of revenue_usd.
Job wide_job() {
  Job job = builtin_job();
  job.tables = {{"wide",
                 {0, 1, 2},
                 {{"revenue", MeasureKind::sum, 3},
                  {"rows", MeasureKind::count_rows, kNoColumn},
                  {"lowest", MeasureKind::min, 3},
                  {"highest", MeasureKind::max, 3},
                  {"priced", MeasureKind::count, 3}}}};
  return job;
}

void BM_JobParserJobGroups3Keys5Measures(benchmark::State& state) { run_job(state, wide_job()); }
BENCHMARK(BM_JobParserJobGroups3Keys5Measures)->Unit(benchmark::kMillisecond);

// add_row() alone: the built-in job's rows as the parser makes them, into fresh JobGroups.
void add_rows_only(benchmark::State& state, const Job& job) {
  // The rows' values, read here simply (the parser hands them only to JobGroups).
  JobGroups dictionaries(job);
  std::vector<int64_t> values;
  const std::string& csv = seed_csv();
  for (size_t p = csv.find('\n') + 1; p < csv.size();) {
    const size_t nl = csv.find('\n', p);
    const size_t c1 = csv.find(',', p), c2 = csv.find(',', c1 + 1), c3 = csv.find(',', c2 + 1),
                 c4 = csv.find(',', c3 + 1);
    int32_t date = 0;
    parse_date(std::string_view(csv).substr(c1 + 1, 10), &date);
    values.push_back(date);
    values.push_back(dictionaries.intern(1, std::string_view(csv).substr(c2 + 1, c3 - c2 - 1)));
    values.push_back(std::stoll(csv.substr(c3 + 1, c4 - c3 - 1)));
    values.push_back(std::llround(std::stod(csv.substr(c4 + 1, nl - c4 - 1)) * 100));
    p = nl + 1;
  }
  const uint8_t nulls[4] = {0, 0, 0, 0};
  for (auto _ : state) {
    JobGroups groups(job);
    for (size_t i = 0; i < values.size(); i += 4) groups.add_row(values.data() + i, nulls);
    benchmark::DoNotOptimize(groups.groups());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * values.size() / 4));
}
void BM_JobGroupsAddRowOnlyBuiltin(benchmark::State& state) { add_rows_only(state, builtin_job()); }
BENCHMARK(BM_JobGroupsAddRowOnlyBuiltin)->Unit(benchmark::kMillisecond);

}  // namespace
