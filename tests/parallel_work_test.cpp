// The two pieces that let a run share its cores: PipelinedSink (bytes in order to the other
// thread, its errors passed back) and PrefixProof (pieces hashed on several threads join to the
// one-pass prefix digests, also when started from a known digest).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "pipeline/pipelined_sink.h"
#include "source/drop.h"
#include "source/hash.h"
#include "source/prefix_proof.h"
#include "source/zlib_inflater.h"
#include "test_support.h"

using namespace snapdelta;

namespace {

struct Collect : ByteSink {
  std::string out;
  void write(const uint8_t* d, size_t n) override {
    out.append(reinterpret_cast<const char*>(d), n);
  }
};

struct Throwing : ByteSink {
  size_t seen = 0;
  void write(const uint8_t*, size_t n) override {
    seen += n;
    if (seen > 100000) throw Error("parse failed");
  }
};

std::string random_text(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>('a' + rng() % 26);
  return s;
}

}  // namespace

TEST(PipelinedSink, DeliversInOrderInChunks) {
  const std::string text = random_text(3'000'000, 1);
  for (size_t chunk : {size_t{64 << 10}, size_t{1 << 20}}) {
    Collect sink;
    {
      PipelinedSink pipe(sink, chunk, 4);
      for (size_t pos = 0; pos < text.size(); pos += 7777) {
        const size_t n = std::min<size_t>(7777, text.size() - pos);
        pipe.write(reinterpret_cast<const uint8_t*>(text.data() + pos), n);
      }
      pipe.finish();
    }
    EXPECT_TRUE(sink.out == text);
  }
}

TEST(PipelinedSink, ConsumerErrorsReachTheProducer) {
  const std::string text = random_text(1'000'000, 2);
  Throwing sink;
  PipelinedSink pipe(sink, 64 << 10, 4);
  EXPECT_THROW(
      {
        for (size_t pos = 0; pos < text.size(); pos += 4096) {
          pipe.write(reinterpret_cast<const uint8_t*>(text.data() + pos), 4096);
        }
        pipe.finish();
      },
      Error);
  EXPECT_GT(sink.seen, 100000u);
  EXPECT_LT(sink.seen, text.size()) << "bytes kept flowing after the consumer failed";
}

TEST(PrefixProof, PiecesOnTwoThreadsJoinToTheSequentialDigests) {
  test::TempDir dir("proof");
  const std::string text = random_text(9'000'000, 3);
  const std::string zip = dir / "p.zip";
  test::write_zip_raw(zip, text, text.size(), test::crc_of(text));  // stored bytes as "deflate"
  const Drop drop(zip);
  std::mt19937_64 rng(4);
  std::vector<uint64_t> ends = {0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, text.size()};
  for (int i = 0; i < 20; ++i) ends.push_back(rng() % (text.size() + 1));
  PrefixProof proof(drop, ends);
  std::thread other([&] {
    while (proof.work()) {
    }
  });
  proof.finish();
  other.join();
  std::vector<uint64_t> sorted = ends;
  std::sort(sorted.begin(), sorted.end());
  for (uint64_t end : sorted) {
    EXPECT_EQ(proof.digest(end), hash64(text.data(), end)) << "end " << end;
  }
  EXPECT_THROW(proof.digest(12345678), Error);
  // Started from a known digest of a prefix.
  const uint64_t from = 3'000'001;
  PrefixProof rest(drop, {from, 5'000'000, text.size()}, from, hash64(text.data(), from));
  rest.finish();
  EXPECT_EQ(rest.digest(text.size()), hash64(text.data(), text.size()));
  EXPECT_EQ(rest.digest(5'000'000), hash64(text.data(), 5'000'000));
  EXPECT_THROW(PrefixProof(drop, {text.size() + 1}), Error);
}
