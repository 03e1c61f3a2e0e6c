// Tests for the zran-style resumable inflate (zlib_inflater.h): a straight inflate reproduces the
// member at every level, strategy and size; resuming from MANY random captured checkpoints yields
// exactly the straight output's bytes from the checkpoint on; the checkpoint fields (window, tail
// hash) mean what checkpoint.h says; capture_from and keep select the last boundaries; stored
// members are copied and yield no checkpoints.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "common/error.h"
#include "generate/generator.h"
#include "generate/zip_writer.h"
#include "inflate_test_support.h"
#include "source/byte_sink.h"
#include "source/checkpoint.h"
#include "source/deflate_window.h"
#include "source/drop.h"
#include "source/hash.h"
#include "source/isal_inflater.h"
#include "source/member_inflate.h"
#include "source/prefix_proof.h"
#include "source/zip_entry.h"
#include "test_support.h"

using namespace snapdelta;
using namespace snapdelta::test;

namespace {

// Straight inflate, checkpoint invariants, then resume from up to `samples` random checkpoints.
void check_roundtrip(const std::string& zip, const std::string& text, const std::string& deflate,
                     int samples, uint64_t seed, const std::string& what) {
  SCOPED_TRACE(what);
  const Inflated straight = inflate_all(zip);
  ASSERT_EQ(straight.total, text.size());
  ASSERT_TRUE(straight.out == text) << "straight inflate differs";
  uint64_t prev_in = 0;
  for (const Checkpoint& cp : straight.checkpoints) {
    ASSERT_GT(cp.in_byte, prev_in) << "checkpoints are in stream order, one per boundary";
    prev_in = cp.in_byte;
    ASSERT_GE(cp.bits, 0);
    ASSERT_LE(cp.bits, 7);
    ASSERT_LE(cp.in_byte, deflate.size());
    ASSERT_LT(cp.out_offset, text.size() + 1);
    const size_t wsize = std::min<uint64_t>(cp.out_offset, kDeflateWindow);
    ASSERT_NE(cp.window.bytes(), nullptr);
    ASSERT_EQ(cp.window.bytes()->size(), wsize);
    ASSERT_TRUE(*cp.window.bytes() == text.substr(cp.out_offset - wsize, wsize))
        << "window at " << cp.out_offset;
    ASSERT_EQ(cp.tail_hash, hash64(text.data() + cp.out_offset, text.size() - cp.out_offset));
    if (cp.bits) {
      const auto last = static_cast<uint8_t>(deflate[cp.in_byte - 1]);
      ASSERT_EQ(cp.low_bits, last & cp.low_mask());
    }
  }
  std::mt19937_64 rng(seed);
  std::vector<size_t> picks;
  for (size_t i = 0; i < straight.checkpoints.size(); ++i) picks.push_back(i);
  std::shuffle(picks.begin(), picks.end(), rng);
  if (picks.size() > static_cast<size_t>(samples)) picks.resize(static_cast<size_t>(samples));
  // Always include the first and the last checkpoint.
  if (!straight.checkpoints.empty()) {
    picks.push_back(0);
    picks.push_back(straight.checkpoints.size() - 1);
  }
  for (size_t i : picks) {
    const Checkpoint& cp = straight.checkpoints[i];
    uint64_t total = 0;
    std::vector<Checkpoint> again;
    const std::string tail = resume_from(zip, cp, &total, &again);
    ASSERT_EQ(total, text.size()) << "checkpoint " << i;
    ASSERT_TRUE(tail == text.substr(cp.out_offset))
        << "resume from checkpoint " << i << " at in_byte " << cp.in_byte << " bits " << cp.bits
        << " out " << cp.out_offset;
    // Capturing while resumed finds exactly the later boundaries of the straight run (whether the
    // resume point itself is among them is ResumedRunKeepsACheckpointForTheNextDay's subject).
    const size_t later = straight.checkpoints.size() - i - 1;
    ASSERT_TRUE(again.size() == later || again.size() == later + 1) << "checkpoint " << i;
    const size_t first = straight.checkpoints.size() - again.size();
    for (size_t k = 0; k < again.size(); ++k) {
      const Checkpoint& a = again[k];
      const Checkpoint& b = straight.checkpoints[first + k];
      ASSERT_EQ(a.in_byte, b.in_byte);
      ASSERT_EQ(a.bits, b.bits);
      ASSERT_EQ(a.low_bits, b.low_bits);
      ASSERT_EQ(a.out_offset, b.out_offset);
      ASSERT_EQ(a.tail_hash, b.tail_hash);
      ASSERT_TRUE(a.window == b.window);
    }
  }
}

}  // namespace

TEST(Inflater, ResumesExactlyFromRandomCheckpointsAtEveryLevelAndSize) {
  TempDir dir("inflater");
  int with_checkpoints = 0;
  const size_t sizes[] = {0, 1, 17, 5000, 32767, 32768, 32769, 70000, 250000};
  uint64_t seed = 1;
  for (size_t size : sizes) {
    for (int level = 0; level <= 9; ++level) {
      // memLevel 1 makes many small blocks, so even small inputs have several boundaries.
      for (int mem_level : {1, 8}) {
        ++seed;
        const std::string text = (seed % 5 == 0) ? random_bytes(size, seed) : csv_text(size, seed);
        const std::string deflate = test::raw_deflate(text, level, Z_DEFAULT_STRATEGY, mem_level);
        const std::string zip = dir / ("m" + std::to_string(seed) + ".zip");
        test::write_zip_raw(zip, deflate, text.size(), test::crc_of(text));
        check_roundtrip(zip, text, deflate, 12, seed,
                        "size " + std::to_string(size) + " level " + std::to_string(level) +
                            " memLevel " + std::to_string(mem_level));
        if (HasFatalFailure()) return;
        with_checkpoints += inflate_all(zip).checkpoints.empty() ? 0 : 1;
        std::filesystem::remove(zip);
      }
    }
  }
  EXPECT_GT(with_checkpoints, 60);  // the resume path was really exercised
}

TEST(Inflater, ResumesExactlyInMultiMegabyteStreamsAndOtherStrategies) {
  TempDir dir("inflater");
  struct Case {
    size_t size;
    int level;
    int strategy;
    bool random;
  };
  const Case cases[] = {
      {3'000'000, 6, Z_DEFAULT_STRATEGY, false}, {2'500'000, 1, Z_DEFAULT_STRATEGY, false},
      {1'500'000, 9, Z_FILTERED, false},         {1'200'000, 6, Z_FIXED, false},
      {1'000'000, 6, Z_HUFFMAN_ONLY, false},     {800'000, 4, Z_RLE, false},
      {2'000'000, 9, Z_DEFAULT_STRATEGY, true}};
  uint64_t seed = 100;
  for (const Case& c : cases) {
    ++seed;
    const std::string text = c.random ? random_bytes(c.size, seed) : csv_text(c.size, seed);
    const std::string deflate = test::raw_deflate(text, c.level, c.strategy);
    const std::string zip = dir / ("big" + std::to_string(seed) + ".zip");
    test::write_zip_raw(zip, deflate, text.size(), test::crc_of(text));
    const Inflated straight = inflate_all(zip);
    EXPECT_GE(straight.checkpoints.size(), 4u) << "size " << c.size;
    check_roundtrip(zip, text, deflate, 25, seed,
                    "size " + std::to_string(c.size) + " level " + std::to_string(c.level) +
                        " strategy " + std::to_string(c.strategy));
    if (HasFatalFailure()) return;
  }
}

TEST(Inflater, CaptureFromAndKeepSelectTheLastBoundaries) {
  TempDir dir("inflater");
  const std::string text = csv_text(600'000, 9);
  const std::string deflate = test::raw_deflate(text, 6, Z_DEFAULT_STRATEGY, 2);
  const std::string zip = dir / "k.zip";
  test::write_zip_raw(zip, deflate, text.size(), test::crc_of(text));
  const Inflated all = inflate_all(zip);
  ASSERT_GT(all.checkpoints.size(), 20u);
  const uint64_t from = all.checkpoints[all.checkpoints.size() / 2].in_byte;
  const Inflated late = inflate_all(zip, from);
  ASSERT_EQ(late.checkpoints.size(), all.checkpoints.size() - all.checkpoints.size() / 2);
  for (const Checkpoint& cp : late.checkpoints) EXPECT_GE(cp.in_byte, from);
  const Inflated three = inflate_all(zip, 0, 3);
  ASSERT_EQ(three.checkpoints.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(three.checkpoints[i].in_byte,
              all.checkpoints[all.checkpoints.size() - 3 + i].in_byte);
    EXPECT_EQ(three.checkpoints[i].tail_hash,
              all.checkpoints[all.checkpoints.size() - 3 + i].tail_hash);
  }
  EXPECT_TRUE(three.out == text);
  // Past the end: nothing captured, output unchanged.
  const Inflated none = inflate_all(zip, deflate.size() + 1);
  EXPECT_TRUE(none.checkpoints.empty());
  EXPECT_TRUE(none.out == text);
}

TEST(Inflater, StoredMemberIsCopiedWithoutCheckpoints) {
  TempDir dir("inflater");
  for (size_t size : {size_t{0}, size_t{10}, size_t{300'000}}) {
    const std::string text = csv_text(size, size + 1);
    const std::string zip = dir / ("s" + std::to_string(size) + ".zip");
    test::write_zip_text(zip, text, 0, 0);
    const Drop drop(zip);
    const ZipEntry& entry = drop.entry();
    EXPECT_EQ(entry.method, 0);
    EXPECT_EQ(entry.uncompressed_size, text.size());
    EXPECT_EQ(entry.crc32, test::crc_of(text));
    const Inflated r = inflate_all(zip);
    EXPECT_EQ(r.total, text.size());
    EXPECT_TRUE(r.out == text);
    EXPECT_TRUE(r.checkpoints.empty());
    Checkpoint cp;
    StringSink sink;
    InflateOptions o;
    o.resume = &cp;
    EXPECT_THROW(inflate_drop_member(drop, o, sink), Error);
  }
}
