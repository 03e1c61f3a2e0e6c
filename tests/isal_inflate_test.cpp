// Tests for the ISA-L inflate and its checkpoint capture (isal_inflater.h): its captures are
// zlib's, it hands over to zlib only at a real block boundary, and resuming from a checkpoint gives
// exactly zlib's bytes.
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

// Resumes from `cp` with ISA-L doing the bulk (from the checkpoint up to `handoff_from`, where it
// hands over to zlib), returning the uncompressed bytes from cp.out_offset on.
std::string bulk_resume_from(const std::string& zip, const Checkpoint& cp, uint64_t handoff_from,
                             bool* handed_off, std::vector<Checkpoint>* captured_out = nullptr) {
  const Drop drop(zip);
  StringSink sink;
  std::vector<Checkpoint> captured;
  InflateOptions o;
  o.resume = &cp;
  o.engine = InflateEngine::isal_then_zlib;
  o.handed_off = handed_off;
  o.captured = &captured;
  o.capture_from = handoff_from;
  o.keep = 100000;
  inflate_drop_member(drop, o, sink);
  if (captured_out) *captured_out = std::move(captured);
  return sink.out;
}

}  // namespace

// ISA-L inflates the bulk and hands over to zlib at a block boundary it finds from its decoder
// state: that boundary must be a real one (zlib's own list has it, with the same window), and
// resuming there must give exactly the rest of the member.
TEST(BulkInflate, IsalCapturesEveryBoundaryZlibSeesOrHandsOverAtOne) {
  TempDir dir("inflater");
  struct Case {
    size_t size;
    int level;
    int mem_level;
    bool random;
    int strategy = Z_DEFAULT_STRATEGY;
  };
  // Fixed-table blocks leave no trace of a new block in ISA-L's state: there the search may land
  // on a later boundary, never on a wrong one.
  const Case cases[] = {{70'000, 6, 1, false},    {70'000, 1, 8, false},
                        {250'000, 9, 2, false},   {250'000, 6, 8, true},
                        {1'500'000, 6, 8, false}, {1'200'000, 1, 8, false},
                        {900'000, 9, 8, false},   {400'000, 0, 8, false},
                        {300'000, 4, 3, false},   {1'500'000, 6, 8, false, Z_FIXED}};
  uint64_t seed = 500;
  int handed_over = 0;
  size_t captured_total = 0;
  for (const Case& c : cases) {
    ++seed;
    SCOPED_TRACE("size " + std::to_string(c.size) + " level " + std::to_string(c.level) +
                 " memLevel " + std::to_string(c.mem_level));
    const std::string text = c.random ? random_bytes(c.size, seed) : csv_text(c.size, seed);
    const std::string deflate = test::raw_deflate(text, c.level, c.strategy, c.mem_level);
    const std::string zip = dir / ("b" + std::to_string(seed) + ".zip");
    test::write_zip_raw(zip, deflate, text.size(), test::crc_of(text));
    const Inflated zlib_all = inflate_all(zip, 0, 100000);
    ASSERT_TRUE(zlib_all.out == text);
    const Drop drop(zip);
    std::mt19937_64 rng(seed);
    std::vector<uint64_t> handoffs = {0, 1, deflate.size() / 2, deflate.size() - 1, deflate.size()};
    for (int i = 0; i < 10; ++i) handoffs.push_back(rng() % (deflate.size() + 1));
    for (uint64_t h : handoffs) {
      SCOPED_TRACE("capture_from " + std::to_string(h));
      StringSink sink;
      std::vector<Checkpoint> captured;
      InflateOptions o;
      o.captured = &captured;
      o.capture_from = h;
      o.keep = 100000;
      const IsalResult r = isal_inflate_member(drop, o, sink);
      if (r.handoff) {
        // Only where ISA-L's state cannot show a new block: fixed-table streams.
        EXPECT_EQ(c.strategy, Z_FIXED) << "handed over although ISA-L sees this stream's blocks";
        ++handed_over;
        const Checkpoint& cp = *r.handoff;
        EXPECT_TRUE(captured.empty());
        ASSERT_GE(cp.in_byte, h);
        ASSERT_EQ(cp.out_offset, sink.out.size());
        ASSERT_TRUE(sink.out == text.substr(0, cp.out_offset)) << "ISA-L prefix differs";
        const auto same = std::find_if(
            zlib_all.checkpoints.begin(), zlib_all.checkpoints.end(), [&](const Checkpoint& z) {
              return z.in_byte == cp.in_byte && z.bits == cp.bits && z.out_offset == cp.out_offset;
            });
        ASSERT_NE(same, zlib_all.checkpoints.end())
            << "hand-over at in_byte " << cp.in_byte << " bits " << cp.bits << " out "
            << cp.out_offset << " is not a block boundary";
        ASSERT_TRUE(cp.window == same->window);
        const std::string tail = resume_from(zip, cp);
        ASSERT_TRUE(tail == text.substr(cp.out_offset))
            << "zlib resumed from ISA-L's hand-over differs";
        continue;
      }
      ASSERT_EQ(r.total, text.size());
      ASSERT_TRUE(sink.out == text) << "ISA-L alone differs from the member";
      std::vector<Checkpoint> expected;
      for (const Checkpoint& z : zlib_all.checkpoints) {
        if (z.in_byte >= h) expected.push_back(z);
      }
      captured_total += captured.size();
      // Every boundary zlib reports from h on, each exactly as zlib captures it.
      expect_same_captures(captured, expected, deflate);
    }
    // Through inflate_drop_member: bulk output is the member, and its checkpoints are zlib's.
    for (uint64_t from : {uint64_t{0}, deflate.size() / 3, deflate.size() - deflate.size() / 10}) {
      std::vector<Checkpoint> captured;
      InflateOptions o;
      o.engine = InflateEngine::isal_then_zlib;
      o.captured = &captured;
      o.capture_from = from;
      o.keep = 100000;
      bool handed = false;
      o.handed_off = &handed;
      StringSink sink;
      ASSERT_EQ(inflate_drop_member(drop, o, sink), text.size());
      ASSERT_TRUE(sink.out == text) << "bulk inflate from " << from;
      for (const Checkpoint& b : captured) {
        ASSERT_GE(b.in_byte, from);
        const auto same = std::find_if(
            zlib_all.checkpoints.begin(), zlib_all.checkpoints.end(),
            [&](const Checkpoint& z) { return z.in_byte == b.in_byte && z.bits == b.bits; });
        ASSERT_NE(same, zlib_all.checkpoints.end());
        ASSERT_EQ(b.out_offset, same->out_offset);
        ASSERT_EQ(b.tail_hash, same->tail_hash);
        ASSERT_TRUE(b.window == same->window);
      }
      // zlib's list of boundaries >= from, unless ISA-L handed over (fixed tables).
      if (!handed) {
        std::vector<Checkpoint> expected;
        for (const Checkpoint& z : zlib_all.checkpoints) {
          if (z.in_byte >= from) expected.push_back(z);
        }
        expect_same_captures(captured, expected, deflate);
      }
    }
    // Bulk without capturing never hands over and delivers the member.
    StringSink plain;
    InflateOptions o;
    o.engine = InflateEngine::isal_then_zlib;
    ASSERT_EQ(inflate_drop_member(drop, o, plain), text.size());
    ASSERT_TRUE(plain.out == text);
  }
  EXPECT_GT(handed_over, 5);
  EXPECT_GT(captured_total, 200u);
}

// zlib_inflater.h: `captured` receives up to `keep` checkpoints at the last block boundaries at or
// after capture_from -- whether or not the bulk of the stream went through ISA-L. The hand-over
// boundary is such a boundary too; losing it loses the only checkpoint of a small drop.
TEST(BulkInflate, CapturesTheSameCheckpointsAsZlibAlone) {
  TempDir dir("inflater");
  generate::Options g;
  g.data_dir = dir / "data";
  g.clients = 1;
  g.days = 1;
  g.base_rows = 5000;
  g.rows_per_day = 0;
  g.skus = 120;
  g.seed = 99;
  g.threads = 1;
  generate::run(g);
  std::vector<std::string> zips = {test::day_path(g.data_dir, "client_1", 1)};
  const std::string text = csv_text(400'000, 77);
  zips.push_back(dir / "many.zip");
  test::write_zip_raw(zips.back(), test::raw_deflate(text, 6, Z_DEFAULT_STRATEGY, 3), text.size(),
                      test::crc_of(text));
  for (const std::string& zip : zips) {
    SCOPED_TRACE(zip);
    const Drop drop(zip);
    const ZipEntry& entry = drop.entry();
    for (uint64_t from : {uint64_t{0}, entry.compressed_size / 2}) {
      for (size_t keep : {size_t{8}, size_t{100000}}) {
        auto capture = [&](bool bulk) {
          std::vector<Checkpoint> captured;
          InflateOptions o;
          o.engine = (bulk) ? InflateEngine::isal_then_zlib : InflateEngine::zlib_only;
          o.captured = &captured;
          o.capture_from = from;
          o.keep = keep;
          StringSink sink;
          inflate_drop_member(drop, o, sink);
          return captured;
        };
        const std::vector<Checkpoint> zlib_only = capture(false);
        const std::vector<Checkpoint> bulk = capture(true);
        ASSERT_FALSE(zlib_only.empty());
        std::string zl, bl;
        for (const auto& c : zlib_only) zl += " " + std::to_string(c.in_byte);
        for (const auto& c : bulk) bl += " " + std::to_string(c.in_byte);
        EXPECT_EQ(bl, zl) << "checkpoint in_bytes with bulk vs zlib alone (capture_from " << from
                          << ", keep " << keep << ")";
      }
    }
  }
}

// isal_inflater.h: resuming from a checkpoint (window as dictionary, the partial byte's bits in
// ISA-L's bit buffer) must give exactly zlib's bytes, whether ISA-L runs to the end or hands over.
TEST(BulkInflate, ResumesFromCheckpointsExactlyLikeZlib) {
  TempDir dir("inflater");
  std::mt19937_64 rng(7);
  int resumed = 0, handed = 0;
  struct Case {
    int level;
    size_t size;
    int strategy;
  };
  std::vector<Case> cases;
  for (int level : {1, 6, 9}) {
    for (size_t size : {size_t{200'000}, size_t{3'000'000}}) {
      cases.push_back({level, size, Z_DEFAULT_STRATEGY});
    }
  }
  cases.push_back({6, 3'000'000, Z_FIXED});  // ISA-L cannot see these blocks: zlib takes over
  for (const Case& c : cases) {
    const std::string text = csv_text(c.size, 1000 + c.level + c.size);
    const std::string deflate = test::raw_deflate(text, c.level, c.strategy, 8);
    const std::string zip = dir / ("b" + std::to_string(c.level) + "_" + std::to_string(c.size) +
                                   "_" + std::to_string(c.strategy) + ".zip");
    test::write_zip_raw(zip, deflate, text.size(), test::crc_of(text));
    const Inflated all = inflate_all(zip);
    ASSERT_EQ(all.out, text);
    for (int i = 0; i < 8 && !all.checkpoints.empty(); ++i) {
      const Checkpoint& cp = all.checkpoints[rng() % all.checkpoints.size()];
      const uint64_t csize = deflate.size();
      // Capture from the resume point itself, or from a point between it and the end.
      const uint64_t from =
          i % 2 ? cp.in_byte : cp.in_byte + 1 + rng() % std::max<uint64_t>(1, csize - cp.in_byte);
      bool handed_off = false;
      std::vector<Checkpoint> captured;
      SCOPED_TRACE("level " + std::to_string(c.level) + " size " + std::to_string(c.size) +
                   " checkpoint at byte " + std::to_string(cp.in_byte) + " bit " +
                   std::to_string(cp.bits) + " capture from " + std::to_string(from));
      EXPECT_EQ(bulk_resume_from(zip, cp, std::min(from, csize), &handed_off, &captured),
                text.substr(cp.out_offset));
      ++resumed;
      handed += handed_off ? 1 : 0;
      if (handed_off) continue;
      std::vector<Checkpoint> zlib_captured;
      resume_from(zip, cp, nullptr, &zlib_captured);
      std::vector<Checkpoint> expected;
      for (const Checkpoint& z : zlib_captured) {
        if (z.in_byte >= std::min(from, csize)) expected.push_back(z);
      }
      expect_same_captures(captured, expected, deflate);
    }
  }
  EXPECT_GT(resumed, 40);
  EXPECT_GT(handed, 0);  // the ISA-L to zlib hand-over after a resume was exercised too
}
