// Micro-benchmarks of each stage of a full run, on one generated 500K-row drop:
// inflate (zlib vs ISA-L), parse + aggregate (whole drop, and a 100K-row tail as an incremental run
// parses it), SKU interning alone, aggregate alone, and the SQLite write (replace and merge of
// the built-in job's JobGroups). Throughput is bytes/second of
// CSV text (printed as MB/s) and rows (items) per second.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "aggregate/job_groups.h"
#include "csv/job_parser.h"
#include "generated_drop.h"
#include "job/builtin_job.h"
#include "source/drop.h"
#include "source/member_inflate.h"
#include "store/postgres_store.h"
#include "store/sqlite_db.h"
#include "store/sqlite_store.h"

using namespace snapdelta;

namespace {

constexpr int64_t kRows = 500000;

struct Fixture {
  GeneratedDrop generated{kRows};
  const std::string& dir = generated.dir;
  const std::string& zip = generated.zip;
  std::string csv = generated.csv();
};

const Fixture& fixture() {
  static Fixture f;
  return f;
}

struct NullSink : ByteSink {
  uint64_t bytes = 0;
  void write(const uint8_t*, size_t n) override { bytes += n; }
};

void inflate(benchmark::State& state, bool bulk) {
  const Fixture& fx = fixture();
  const Drop d(fx.zip);
  const ZipEntry& e = d.entry();
  for (auto _ : state) {
    NullSink sink;
    InflateOptions o;
    o.engine = (bulk) ? InflateEngine::isal_then_zlib : InflateEngine::zlib_only;
    inflate_drop_member(d, o, sink);
    benchmark::DoNotOptimize(sink.bytes);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * e.uncompressed_size));
}
void BM_InflateZlib(benchmark::State& state) { inflate(state, false); }
void BM_InflateIsal(benchmark::State& state) { inflate(state, true); }
BENCHMARK(BM_InflateZlib)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_InflateIsal)->Unit(benchmark::kMillisecond);

void BM_ParseAggregate(benchmark::State& state) {
  const Fixture& fx = fixture();
  for (auto _ : state) {
    JobGroups groups(builtin_job());
    JobParser parser("bench.csv", builtin_job(), groups, ParserStart::file_start(), "");
    const std::string& csv = fx.csv;
    for (size_t off = 0; off < csv.size(); off += 1 << 20) {
      parser.feed(csv.data() + off, std::min<size_t>(1 << 20, csv.size() - off));
    }
    parser.finish();
    benchmark::DoNotOptimize(groups.groups());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * fx.csv.size()));
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_ParseAggregate)->Unit(benchmark::kMillisecond);

// The incremental run's shape: the last 100K rows (mid-file, no header) into a fresh table, fed
// in the 1 MiB chunks the pipelined sink delivers.
void BM_ParseAggregateTail(benchmark::State& state) {
  const Fixture& fx = fixture();
  constexpr int64_t kTailRows = 100000;
  size_t from = fx.csv.size() - 1;  // the final '\n'
  for (int64_t i = 0; i < kTailRows; ++i) from = fx.csv.rfind('\n', from - 1);
  const std::string_view tail = std::string_view(fx.csv).substr(from + 1);
  for (auto _ : state) {
    JobGroups groups(builtin_job());
    JobParser parser("bench.csv", builtin_job(), groups, ParserStart::after(1, false),
                     std::string(kBuiltinHeader));
    for (size_t off = 0; off < tail.size(); off += 1 << 20) {
      parser.feed(tail.data() + off, std::min<size_t>(1 << 20, tail.size() - off));
    }
    parser.finish();
    if (parser.rows() != kTailRows) state.SkipWithError("wrong row count");
    benchmark::DoNotOptimize(groups.groups());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * tail.size()));
  state.SetItemsProcessed(state.iterations() * kTailRows);
}
BENCHMARK(BM_ParseAggregateTail)->Unit(benchmark::kMicrosecond);

// SkuDictionary alone: the fixture's SKU column, in file order, into a fresh dictionary.
void BM_AggregateSkuIntern(benchmark::State& state) {
  const Fixture& fx = fixture();
  std::vector<std::string_view> skus;
  skus.reserve(kRows);
  const std::string_view csv(fx.csv);
  for (size_t p = csv.find('\n') + 1; p < csv.size();) {
    const size_t nl = csv.find('\n', p);
    const size_t c1 = csv.find(',', p), c2 = csv.find(',', c1 + 1), c3 = csv.find(',', c2 + 1);
    skus.push_back(csv.substr(c2 + 1, c3 - c2 - 1));
    p = nl + 1;
  }
  for (auto _ : state) {
    SkuDictionary dict;
    uint32_t sum = 0;
    for (std::string_view s : skus) sum += dict.intern(s);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * skus.size()));
}
BENCHMARK(BM_AggregateSkuIntern)->Unit(benchmark::kMillisecond);

void BM_AggregateOnly(benchmark::State& state) {
  std::vector<uint32_t> skus(kRows);
  uint64_t x = 1;
  for (auto& s : skus) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    s = static_cast<uint32_t>((x >> 33) % 5000);
  }
  const uint8_t nulls[4] = {0, 0, 0, 0};
  for (auto _ : state) {
    JobGroups groups(builtin_job());
    for (uint32_t s = 0; s < 5000; ++s) groups.intern(1, "SKU_" + std::to_string(s));
    for (int64_t i = 0; i < kRows; ++i) {
      const int64_t values[4] = {20362 + i % 10, skus[static_cast<size_t>(i)], 3, 12345};
      groups.add_row(values, nulls);
    }
    benchmark::DoNotOptimize(groups.groups());
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_AggregateOnly)->Unit(benchmark::kMillisecond);

// 50K groups of the built-in job (10 dates x 5,000 SKUs), written through replace_groups().
JobGroups builtin_groups() {
  JobGroups groups(builtin_job());
  for (int d = 0; d < 10; ++d) {
    for (int s = 1; s <= 5000; ++s) {
      char sku[16];
      std::snprintf(sku, sizeof sku, "SKU_%05d", s);
      int64_t values[4] = {20362 + d, groups.intern(1, sku), s, 100 * s};
      uint8_t nulls[4] = {0, 0, 0, 0};
      groups.add_row(values, nulls);
    }
  }
  return groups;
}

void BM_SqliteReplaceClientJob(benchmark::State& state) {
  const JobGroups groups = builtin_groups();
  const std::string db = fixture().dir + "/bench.db";
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove(db);
    std::filesystem::remove(db + "-wal");
    SqliteStore store(db, StoreOpen::create_if_missing);
    state.ResumeTiming();
    const auto write = store.begin_write("client_1");
    write->replace_groups(groups);
    write->commit();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * groups.groups()));
}
BENCHMARK(BM_SqliteReplaceClientJob)->Unit(benchmark::kMillisecond);

// Merging 50K groups into 50K stored ones (every group an update).
template <class Write>
void merge_into_stored(benchmark::State& state, size_t groups, Write write) {
  const std::string db = fixture().dir + "/bench.db";
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove(db);
    std::filesystem::remove(db + "-wal");
    SqliteStore store(db, StoreOpen::create_if_missing);
    write(store);
    state.ResumeTiming();
    write(store);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * groups));
}

void BM_SqliteAddClientJob(benchmark::State& state) {
  const JobGroups groups = builtin_groups();
  merge_into_stored(state, groups.groups(), [&](SqliteStore& store) {
    const auto write = store.begin_write("client_1");
    write->add_groups(groups);
    write->commit();
  });
}
BENCHMARK(BM_SqliteAddClientJob)->Unit(benchmark::kMillisecond);

// PostgreSQL: the same writes on the server SNAPDELTA_BENCH_PG names (a postgresql:// URI of a
// database the benchmark may fill); skipped without it. Each iteration replaces, then merges.
template <class Replace, class Add>
void postgres_write(benchmark::State& state, size_t groups, Replace replace, Add add) {
  const char* uri = std::getenv("SNAPDELTA_BENCH_PG");
  if (uri == nullptr || *uri == '\0') {
    state.SkipWithError("SNAPDELTA_BENCH_PG is not set");
    return;
  }
  PostgresStore store(uri);
  for (auto _ : state) {
    {
      const auto write = store.begin_write("client_1");
      replace(*write);
      write->commit();
    }
    const auto write = store.begin_write("client_1");
    add(*write);
    write->commit();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * groups * 2));
}

void BM_PostgresReplaceAndAddJob(benchmark::State& state) {
  const JobGroups groups = builtin_groups();
  postgres_write(
      state, groups.groups(), [&](ClientWrite& w) { w.replace_groups(groups); },
      [&](ClientWrite& w) { w.add_groups(groups); });
}
BENCHMARK(BM_PostgresReplaceAndAddJob)->Unit(benchmark::kMillisecond);

}  // namespace
