// Tests for src/source (zip entry location and the zran-style resumable inflate): a straight
// inflate reproduces the member at every level, strategy and size; resuming from MANY random
// captured checkpoints yields exactly the straight output's bytes from the checkpoint on; the
// checkpoint fields (window, tail hash, compressed hash) mean what checkpoint.h says;
// find_matching_checkpoint finds a checkpoint in a file that extends the same stream and none in
// a recompressed one; stored members; and corrupt, truncated or lying members fail naming the
// archive.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/hash.h"
#include "generate/generator.h"
#include "generate/zip_writer.h"
#include "source/byte_sink.h"
#include "source/checkpoint.h"
#include "source/deflate_window.h"
#include "source/drop.h"
#include "source/isal_inflater.h"
#include "source/prefix_proof.h"
#include "source/zip_entry.h"
#include "source/zlib_inflater.h"
#include "test_support.h"

using namespace snapdelta;
using test::TempDir;

namespace {

class StringSink : public ByteSink {
 public:
  void write(const uint8_t* data, size_t size) override {
    out.append(reinterpret_cast<const char*>(data), size);
    ++writes;
  }
  std::string out;
  size_t writes = 0;
};

// CSV-like text: compressible, with a little randomness.
std::string csv_text(size_t bytes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s = "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";
  for (uint64_t id = 1; s.size() < bytes; ++id) {
    s += "TXN_" + std::to_string(id) + ",2025-10-0" + std::to_string(1 + rng() % 9) + ",SKU_" +
         std::to_string(rng() % 500) + "," + std::to_string(1 + rng() % 10) + "," +
         std::to_string(5 + rng() % 500) + "." + std::to_string(10 + rng() % 90) + "\n";
  }
  s.resize(bytes);
  return s;
}

std::string random_bytes(size_t bytes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s(bytes, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

struct Inflated {
  std::string out;
  uint64_t total = 0;
  std::vector<Checkpoint> checkpoints;
};

Inflated inflate_all(const std::string& zip, uint64_t capture_from = 0, size_t keep = 1000) {
  const Drop drop(zip);
  Inflated r;
  StringSink sink;
  InflateOptions o;
  o.captured = &r.checkpoints;
  o.capture_from = capture_from;
  o.keep = keep;
  r.total = inflate_member(drop, o, sink);
  r.out = std::move(sink.out);
  return r;
}

std::string resume_from(const std::string& zip, const Checkpoint& cp, uint64_t* total = nullptr,
                        std::vector<Checkpoint>* captured = nullptr) {
  const Drop drop(zip);
  StringSink sink;
  InflateOptions o;
  o.resume = &cp;
  o.captured = captured;
  o.capture_from = 0;
  o.keep = 1000;
  const uint64_t t = inflate_member(drop, o, sink);
  if (total) *total = t;
  return sink.out;
}

// BTYPE of the block that starts at checkpoint `cp` of raw deflate data (1 = fixed tables).
int block_type_at(const std::string& deflate, const Checkpoint& cp) {
  const uint64_t bitpos = cp.in_byte * 8 - static_cast<uint64_t>(cp.bits);
  auto bit = [&](uint64_t b) { return (static_cast<uint8_t>(deflate[b / 8]) >> (b % 8)) & 1; };
  return bit(bitpos + 1) | (bit(bitpos + 2) << 1);
}

// ISA-L's captures must be zlib's `expected` ones, exactly, except that a boundary whose next
// block has fixed tables may be missing: when that block's 3-bit header shares a byte with the end
// of the previous block, ISA-L's state never shows the decoder between the two.
void expect_same_captures(const std::vector<Checkpoint>& isal,
                          const std::vector<Checkpoint>& expected, const std::string& deflate) {
  std::string a, b;
  for (const Checkpoint& c : isal)
    a += " " + std::to_string(c.in_byte) + "." + std::to_string(c.bits);
  for (const Checkpoint& c : expected)
    b += " " + std::to_string(c.in_byte) + "." + std::to_string(c.bits);
  SCOPED_TRACE("ISA-L:" + a + "\nzlib:" + b);
  size_t i = 0;
  for (const Checkpoint& z : expected) {
    if (i < isal.size() && isal[i].in_byte == z.in_byte && isal[i].bits == z.bits) {
      EXPECT_EQ(isal[i].low_bits, z.low_bits);
      EXPECT_EQ(isal[i].out_offset, z.out_offset);
      EXPECT_EQ(isal[i].tail_hash, z.tail_hash);
      EXPECT_TRUE(isal[i].window == z.window);
      ++i;
      continue;
    }
    EXPECT_EQ(block_type_at(deflate, z), 1)
        << "ISA-L skipped the boundary at byte " << z.in_byte << " bit " << z.bits
        << (i < isal.size() ? " and has byte " + std::to_string(isal[i].in_byte) + " bit " +
                                  std::to_string(isal[i].bits) + " next"
                            : std::string(" and nothing next"));
  }
  EXPECT_EQ(i, isal.size()) << "ISA-L captured a boundary zlib does not report";
}

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
    ASSERT_EQ(cp.window.size(), wsize);
    ASSERT_TRUE(cp.window == text.substr(cp.out_offset - wsize, wsize))
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

TEST(Inflater, FillCompressedHashesHashesTheDeflatePrefix) {
  TempDir dir("inflater");
  const std::string text = csv_text(300'000, 5);
  const std::string deflate = test::raw_deflate(text, 6, Z_DEFAULT_STRATEGY, 2);
  const std::string zip = dir / "h.zip";
  test::write_zip_raw(zip, deflate, text.size(), test::crc_of(text));
  Inflated r = inflate_all(zip);
  ASSERT_GT(r.checkpoints.size(), 3u);
  std::vector<Checkpoint> shuffled = r.checkpoints;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(3));
  const Drop drop(zip);
  fill_compressed_hashes(drop, shuffled);
  int with_bits = 0;
  for (const Checkpoint& cp : shuffled) {
    EXPECT_EQ(cp.prefix_end(), cp.bits ? cp.in_byte - 1 : cp.in_byte);
    EXPECT_EQ(cp.compressed_hash, hash64(deflate.data(), cp.prefix_end()));
    with_bits += cp.bits ? 1 : 0;
  }
  EXPECT_GT(with_bits, 0);
  // A file matches its own checkpoints: the furthest one is chosen.
  const int best = find_matching_checkpoint(drop, shuffled);
  ASSERT_GE(best, 0);
  for (const Checkpoint& cp : shuffled)
    EXPECT_LE(cp.in_byte, shuffled[static_cast<size_t>(best)].in_byte);
}

// Day k and day k+1 of the generator share their deflate stream up to the last block or so.
TEST(Inflater, FindMatchingCheckpointAcrossCumulativeDaysAndNotAfterRecompression) {
  TempDir dir("inflater");
  generate::Options o;
  o.data_dir = dir.str();
  o.clients = 1;
  o.days = 3;
  o.base_rows = 6000;
  o.rows_per_day = 2500;
  o.skus = 80;
  o.seed = 17;
  o.late_fraction = 0.2;
  o.threads = 1;
  generate::run(o);
  for (int day = 1; day <= 2; ++day) {
    const std::string old_zip = test::day_path(dir.str(), "client_1", day);
    const std::string new_zip = test::day_path(dir.str(), "client_1", day + 1);
    const test::ZipMember old_m = test::read_zip_member(old_zip);
    const test::ZipMember new_m = test::read_zip_member(new_zip);
    // The state keeps the pipeline's number of checkpoints; try both a few and many.
    for (size_t keep : {size_t{8}, size_t{1000}}) {
      Inflated old_run = inflate_all(old_zip, 0, keep);
      ASSERT_FALSE(old_run.checkpoints.empty());
      {
        const Drop d(old_zip);
        fill_compressed_hashes(d, old_run.checkpoints);
      }
      // Brute force: the furthest checkpoint whose deflate prefix and low bits are identical.
      int expected = -1;
      for (size_t i = 0; i < old_run.checkpoints.size(); ++i) {
        const Checkpoint& cp = old_run.checkpoints[i];
        if (cp.in_byte > new_m.deflate.size()) continue;
        if (new_m.deflate.compare(0, cp.prefix_end(), old_m.deflate, 0, cp.prefix_end()) != 0)
          continue;
        if (cp.bits &&
            (static_cast<uint8_t>(new_m.deflate[cp.in_byte - 1]) & cp.low_mask()) != cp.low_bits)
          continue;
        expected = static_cast<int>(i);
      }
      ASSERT_GE(expected, 0) << "day " << day << " keep " << keep
                             << ": no shared checkpoint at all";
      const Drop drop(new_zip);
      const int found = find_matching_checkpoint(drop, old_run.checkpoints);
      ASSERT_EQ(found, expected) << "day " << day << " keep " << keep;
      const Checkpoint& cp = old_run.checkpoints[static_cast<size_t>(found)];
      uint64_t total = 0;
      const std::string tail = resume_from(new_zip, cp, &total);
      EXPECT_EQ(total, new_m.text.size());
      EXPECT_TRUE(tail == new_m.text.substr(cp.out_offset)) << "resume in the next day's file";
      // The old file's bytes from the checkpoint are a prefix of the new file's tail.
      EXPECT_TRUE(tail.compare(0, old_m.text.size() - cp.out_offset, old_m.text, cp.out_offset) ==
                  0);
    }
    // Recompressed at another level (and by minizip, not the generator): no checkpoint matches.
    Inflated old_run = inflate_all(old_zip, 0, 1000);
    {
      const Drop d(old_zip);
      fill_compressed_hashes(d, old_run.checkpoints);
    }
    for (int level : {1, 9}) {
      const std::string other = dir / ("other_" + std::to_string(level) + ".zip");
      test::write_zip_text(other, new_m.text, level);
      const Drop d(other);
      EXPECT_EQ(find_matching_checkpoint(d, old_run.checkpoints), -1) << "level " << level;
    }
    // A stored member has no deflate stream to match.
    const std::string stored = dir / "stored.zip";
    test::write_zip_text(stored, new_m.text, 0, 0);
    const Drop sd(stored);
    EXPECT_EQ(find_matching_checkpoint(sd, old_run.checkpoints), -1);
  }
}

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
    // Through inflate_member: bulk output is the member, and its checkpoints are zlib's.
    for (uint64_t from : {uint64_t{0}, deflate.size() / 3, deflate.size() - deflate.size() / 10}) {
      std::vector<Checkpoint> captured;
      InflateOptions o;
      o.bulk = true;
      o.captured = &captured;
      o.capture_from = from;
      o.keep = 100000;
      bool handed = false;
      o.handed_off = &handed;
      StringSink sink;
      ASSERT_EQ(inflate_member(drop, o, sink), text.size());
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
    o.bulk = true;
    ASSERT_EQ(inflate_member(drop, o, plain), text.size());
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
          o.bulk = bulk;
          o.captured = &captured;
          o.capture_from = from;
          o.keep = keep;
          StringSink sink;
          inflate_member(drop, o, sink);
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

// The incremental chain: day 1 inflated with checkpoints; day 2 resumed from the one that matches
// and captured again; day 3 must find one of day 2's checkpoints. When a day adds less than a
// deflate block (about 100 KB of CSV at level 6) no new boundary appears after the resume point,
// so the resume point itself -- a boundary at or after capture_from, with its window known -- is
// the only checkpoint that can carry over. Dropping it makes every other day inflate everything.
TEST(Inflater, ResumedRunKeepsACheckpointForTheNextDay) {
  TempDir dir("inflater");
  generate::Options g;
  g.data_dir = dir / "data";
  g.clients = 1;
  g.days = 3;
  g.base_rows = 5000;
  g.rows_per_day = 800;  // about 36 KB a day: less than a block
  g.skus = 120;
  g.seed = 99;
  g.threads = 1;
  generate::run(g);
  auto prepared = [](const std::string& zip, std::vector<Checkpoint>& cps) {
    const Drop d(zip);
    fill_compressed_hashes(d, cps);
  };
  const std::string day1 = test::day_path(g.data_dir, "client_1", 1);
  const std::string day2 = test::day_path(g.data_dir, "client_1", 2);
  const std::string day3 = test::day_path(g.data_dir, "client_1", 3);
  Inflated first = inflate_all(day1, 0, 8);
  ASSERT_FALSE(first.checkpoints.empty());
  prepared(day1, first.checkpoints);
  const Drop d2(day2);
  const int m2 = find_matching_checkpoint(d2, first.checkpoints);
  ASSERT_GE(m2, 0);
  std::vector<Checkpoint> second;
  const std::string tail2 =
      resume_from(day2, first.checkpoints[static_cast<size_t>(m2)], nullptr, &second);
  EXPECT_TRUE(tail2 == test::read_zip_member(day2).text.substr(
                           first.checkpoints[static_cast<size_t>(m2)].out_offset));
  ASSERT_FALSE(second.empty()) << "the resumed run kept no checkpoint at all";
  prepared(day2, second);
  const Drop d3(day3);
  const int m3 = find_matching_checkpoint(d3, second);
  ASSERT_GE(m3, 0) << "day 3 matches none of day 2's checkpoints";
  EXPECT_TRUE(resume_from(day3, second[static_cast<size_t>(m3)]) ==
              test::read_zip_member(day3).text.substr(second[static_cast<size_t>(m3)].out_offset));
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
    EXPECT_THROW(inflate_member(drop, o, sink), Error);
  }
}

TEST(ZipEntry, LocatesTheMemberSpanSizesAndCrc) {
  TempDir dir("inflater");
  const std::string text = csv_text(50'000, 3);
  const std::string deflate = test::raw_deflate(text, 7);
  const std::string zip = dir / "e.zip";
  test::write_zip_raw(zip, deflate, text.size(), test::crc_of(text), "day.csv");
  const ZipEntry e = locate_zip_entry(zip);
  EXPECT_EQ(e.archive_path, zip);
  EXPECT_EQ(e.name, "day.csv");
  EXPECT_EQ(e.method, 8);
  EXPECT_EQ(e.compressed_size, deflate.size());
  EXPECT_EQ(e.uncompressed_size, text.size());
  EXPECT_EQ(e.crc32, test::crc_of(text));
  const std::string bytes = test::read_file(zip);
  EXPECT_EQ(e.archive_size, bytes.size());
  ASSERT_LE(e.data_offset + e.compressed_size, bytes.size());
  EXPECT_TRUE(bytes.compare(e.data_offset, deflate.size(), deflate) == 0)
      << "raw span is the deflate stream";
}

// A ZIP64 member (as the generator writes for >= 4 GiB members, forced here on a small one) is
// located and inflated the same way.
TEST(ZipEntry, Zip64MemberIsLocatedAndInflated) {
  TempDir dir("inflater");
  const std::string text = csv_text(120'000, 12);
  const std::string deflate = test::raw_deflate(text, 6);
  generate::ZipEntry z;
  z.name = "transactions_day_1.csv";
  z.deflate_pieces = {
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(deflate.data()), deflate.size())};
  z.uncompressed_size = text.size();
  z.crc32 = test::crc_of(text);
  z.date = 20000;
  z.force_zip64 = true;
  const std::string zip = dir / "z64.zip";
  generate::write_zip(zip, z);
  const ZipEntry e = locate_zip_entry(zip);
  EXPECT_EQ(e.compressed_size, deflate.size());
  EXPECT_EQ(e.uncompressed_size, text.size());
  EXPECT_EQ(e.crc32, test::crc_of(text));
  const Inflated r = inflate_all(zip);
  EXPECT_TRUE(r.out == text);
  EXPECT_EQ(test::read_zip_member(zip).text, text);
}

namespace {

// Runs inflate_member on `zip` with zlib alone, then with ISA-L bulk inflating (handing over at
// the middle and not at all), and returns the Error text ("" if none); all three must agree on
// whether it failed, and the sink must never receive more than `limit` bytes.
std::string inflate_error(const std::string& zip, uint64_t limit = UINT64_MAX) {
  try {
    const Drop drop(zip);
    const ZipEntry& entry = drop.entry();
    std::string first;
    for (int variant = 0; variant < 3; ++variant) {
      StringSink sink;
      std::vector<Checkpoint> captured;
      InflateOptions o;
      o.bulk = variant > 0;
      if (variant == 1) {
        o.captured = &captured;
        o.capture_from = entry.compressed_size / 2;
      }
      std::string message;
      try {
        inflate_member(drop, o, sink);
      } catch (const Error& e) {
        message = e.what();
      }
      EXPECT_LE(sink.out.size(), limit) << "variant " << variant;
      if (variant == 0) {
        first = message;
      } else {
        EXPECT_EQ(message.empty(), first.empty()) << "variant " << variant << ": " << message;
        EXPECT_EQ(message.rfind(zip + ": ", 0), first.empty() ? std::string::npos : 0u)
            << "variant " << variant << ": " << message;
      }
    }
    return first;
  } catch (const Error& e) {
    return std::string("locate: ") + e.what();
  }
}

}  // namespace

TEST(InflaterErrors, CorruptDeflateDataNamesTheArchive) {
  TempDir dir("inflater");
  const std::string text = csv_text(100'000, 8);
  std::string deflate = test::raw_deflate(text, 6);
  deflate[0] = static_cast<char>(0xFF);  // final block of reserved type 3
  const std::string zip = dir / "bad.zip";
  test::write_zip_raw(zip, deflate, text.size(), test::crc_of(text));
  const std::string message = inflate_error(zip);
  EXPECT_EQ(message.rfind(zip + ": ", 0), 0u) << message;
  EXPECT_NE(message.find("corrupt"), std::string::npos) << message;
  // A stored block whose length check (NLEN) is wrong.
  const std::string stored_block = std::string("\x01\x05\x00\x00\x00", 5) + "hello";
  const std::string zip2 = dir / "bad2.zip";
  test::write_zip_raw(zip2, stored_block, 5, test::crc_of("hello"));
  const std::string m2 = inflate_error(zip2);
  EXPECT_EQ(m2.rfind(zip2 + ": ", 0), 0u) << m2;
}

TEST(InflaterErrors, TruncatedDeflateDataNamesTheArchive) {
  TempDir dir("inflater");
  const std::string text = csv_text(200'000, 4);
  const std::string deflate = test::raw_deflate(text, 6);
  for (size_t cut : {deflate.size() / 2, deflate.size() - 1, size_t{1}}) {
    const std::string zip = dir / ("t" + std::to_string(cut) + ".zip");
    test::write_zip_raw(zip, deflate.substr(0, cut), text.size(), test::crc_of(text));
    const std::string message = inflate_error(zip);
    EXPECT_EQ(message.rfind(zip + ": ", 0), 0u) << "cut " << cut << ": " << message;
  }
}

TEST(InflaterErrors, WrongDeclaredSizeNamesTheArchiveAndStopsAtTheDeclaredSize) {
  TempDir dir("inflater");
  const std::string text = csv_text(100'000, 6);
  const std::string deflate = test::raw_deflate(text, 6);
  const std::string small = dir / "small.zip";
  test::write_zip_raw(small, deflate, text.size() - 1, test::crc_of(text));
  std::string m = inflate_error(small, text.size() - 1);
  EXPECT_EQ(m.rfind(small + ": ", 0), 0u) << m;
  const std::string big = dir / "big.zip";
  test::write_zip_raw(big, deflate, text.size() + 1, test::crc_of(text));
  m = inflate_error(big);
  EXPECT_EQ(m.rfind(big + ": ", 0), 0u) << m;
  // A bomb: 20 MB of zeros declared as 1000 bytes fails without delivering more than 1000.
  const std::string zeros(20'000'000, '\0');
  const std::string bomb = dir / "bomb.zip";
  test::write_zip_raw(bomb, test::raw_deflate(zeros, 9), 1000, test::crc_of(zeros));
  m = inflate_error(bomb, 1000);
  EXPECT_EQ(m.rfind(bomb + ": ", 0), 0u) << m;
}

TEST(ZipEntryErrors, EveryBadContainerNamesThePath) {
  TempDir dir("inflater");
  const std::string text = csv_text(10'000, 2);
  auto expect_fail = [](const std::string& path, const std::string& words) {
    try {
      locate_zip_entry(path);
      ADD_FAILURE() << "no error for " << path;
    } catch (const Error& e) {
      const std::string m = e.what();
      EXPECT_EQ(m.rfind(path + ": ", 0), 0u) << m;
      EXPECT_NE(m.find(words), std::string::npos) << m;
      EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    }
  };
  expect_fail(dir / "missing.zip", "cannot open");
  test::write_file(dir / "text.zip", "this is not a zip file at all\n");
  expect_fail(dir / "text.zip", "zip");
  test::write_file(dir / "empty_file.zip", "");
  expect_fail(dir / "empty_file.zip", "empty");
  // An archive holding only a directory entry has no file member.
  {
    const std::string dir_only = dir / "dir_only.zip";
    zipFile zf = zipOpen64(dir_only.c_str(), APPEND_STATUS_CREATE);
    zip_fileinfo info{};
    ASSERT_EQ(zipOpenNewFileInZip64(zf, "folder/", &info, nullptr, 0, nullptr, 0, nullptr, 0, 0, 0),
              ZIP_OK);
    ASSERT_EQ(zipCloseFileInZip(zf), ZIP_OK);
    ASSERT_EQ(zipClose(zf, nullptr), ZIP_OK);
    expect_fail(dir_only, "empty archive");
  }
  // A valid zip with no member at all (just the 22-byte end record): zip_entry.h promises to
  // tell an empty archive apart from "not a zip"/"truncated".
  test::write_empty_zip(dir / "no_members.zip");
  expect_fail(dir / "no_members.zip", "empty archive");
  const std::string good = dir / "good.zip";
  test::write_zip_text(good, text);
  const std::string bytes = test::read_file(good);
  test::write_file(dir / "truncated.zip", bytes.substr(0, bytes.size() / 2));
  expect_fail(dir / "truncated.zip", "zip");
  test::write_file(dir / "truncated_end.zip", bytes.substr(0, bytes.size() - 10));
  expect_fail(dir / "truncated_end.zip", "zip");
  expect_fail(dir.str(), "directory");
  // Two members.
  {
    const std::string two = dir / "two.zip";
    zipFile zf = zipOpen64(two.c_str(), APPEND_STATUS_CREATE);
    for (const char* name : {"a.csv", "b.csv"}) {
      zip_fileinfo info{};
      ASSERT_EQ(
          zipOpenNewFileInZip64(zf, name, &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED, 6, 0),
          ZIP_OK);
      ASSERT_EQ(zipWriteInFileInZip(zf, text.data(), static_cast<unsigned>(text.size())), ZIP_OK);
      ASSERT_EQ(zipCloseFileInZip(zf), ZIP_OK);
    }
    ASSERT_EQ(zipClose(zf, nullptr), ZIP_OK);
    expect_fail(two, "2 files");
  }
}

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
  o.bulk = true;
  o.handed_off = handed_off;
  o.captured = &captured;
  o.capture_from = handoff_from;
  o.keep = 100000;
  inflate_member(drop, o, sink);
  if (captured_out) *captured_out = std::move(captured);
  return sink.out;
}

}  // namespace

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
