// Micro-benchmark of the checkpoint boundary search (isal_boundary_search.h): the end of an
// incremental run's inflate, resumed at the last block boundary before the last 64 KiB or 256 KiB
// of a generated 500K-row drop (the clamps of capture_span()), capturing the boundaries from there
// on (1) or not (0). The difference between the two is what the search costs a client.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "generated_drop.h"
#include "source/checkpoint.h"
#include "source/drop.h"
#include "source/isal_inflater.h"

using namespace snapdelta;

namespace {

struct NullSink : ByteSink {
  uint64_t bytes = 0;
  void write(const uint8_t*, size_t n) override { bytes += n; }
};

struct SearchFixture {
  GeneratedDrop generated{500000};
  const std::string& zip = generated.zip;
  std::vector<Checkpoint> all;  // every block boundary
  SearchFixture() {
    const Drop drop(zip);
    InflateOptions every;
    every.captured = &all;
    every.keep = 1 << 20;
    NullSink sink;
    isal_inflate_member(drop, every, sink);
  }
  // The last boundary at or before `at`.
  const Checkpoint& before(uint64_t at) const {
    const Checkpoint* last = &all.front();
    for (const Checkpoint& cp : all) {
      if (cp.in_byte <= at) last = &cp;
    }
    return *last;
  }
};

const SearchFixture& search_fixture() {
  static SearchFixture f;
  return f;
}

void BM_InflateLast(benchmark::State& state) {
  const SearchFixture& fx = search_fixture();
  const Drop drop(fx.zip);
  const uint64_t from = drop.entry().compressed_size - static_cast<uint64_t>(state.range(0));
  const bool capture = state.range(1) != 0;
  const Checkpoint& resume = fx.before(from);
  for (auto _ : state) {
    NullSink sink;
    std::vector<Checkpoint> captured;
    InflateOptions o;
    o.resume = &resume;
    if (capture) {
      o.captured = &captured;
      o.capture_from = from;
    }
    isal_inflate_member(drop, o, sink);
    if (capture && captured.empty()) state.SkipWithError("no boundary captured");
    benchmark::DoNotOptimize(sink.bytes);
  }
}
BENCHMARK(BM_InflateLast)
    ->ArgsProduct({{64 << 10, 256 << 10}, {0, 1}})
    ->ArgNames({"span", "capture"})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
