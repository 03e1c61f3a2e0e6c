// Micro-benchmarks of the generator's two costs: formatting CSV rows (including the random draws
// and the SKU sampling) and compressing them with the cumulative level-6 deflate stream.
// Throughput is reported as bytes/second of CSV text (Google Benchmark prints it as MB/s).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "generate/csv_writer.h"
#include "generate/cumulative_deflate.h"
#include "generate/rng.h"
#include "generate/sku_popularity.h"

using namespace snapdelta::generate;

namespace {

constexpr size_t kRows = 65536;
constexpr int32_t kDate = 20362;  // 2025-10-01

size_t format_chunk(std::vector<char>& buffer, Rng& rng, const SkuPopularity& skus, uint64_t& id) {
  CsvRowWriter writer(CsvRowWriter::sku_digits_for(skus.size()));
  char* end = buffer.data();
  for (size_t i = 0; i < kRows; ++i) {
    Row row{id++, kDate, skus.sample(rng), 1 + static_cast<uint32_t>(rng.below(10)),
            500 + static_cast<uint32_t>(rng.below(49501))};
    end = writer.append(end, row);
  }
  return static_cast<size_t>(end - buffer.data());
}

void BM_FormatRows(benchmark::State& state) {
  const SkuPopularity skus(5000, 42);
  Rng rng(1);
  std::vector<char> buffer(kRows * CsvRowWriter::kMaxRowBytes);
  uint64_t id = 1;
  int64_t bytes = 0;
  for (auto _ : state) {
    bytes += static_cast<int64_t>(format_chunk(buffer, rng, skus, id));
    benchmark::DoNotOptimize(buffer.data());
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
}
BENCHMARK(BM_FormatRows);

void BM_DeflateLevel6(benchmark::State& state) {
  const SkuPopularity skus(5000, 42);
  Rng rng(1);
  std::vector<char> buffer(kRows * CsvRowWriter::kMaxRowBytes);
  uint64_t id = 1;
  const size_t size = format_chunk(buffer, rng, skus, id);
  int64_t bytes = 0;
  for (auto _ : state) {
    CumulativeDeflate deflate;
    deflate.append(buffer.data(), size);
    benchmark::DoNotOptimize(deflate.finish_copy());
    bytes += static_cast<int64_t>(size);
  }
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_DeflateLevel6)->Unit(benchmark::kMillisecond);

}  // namespace
