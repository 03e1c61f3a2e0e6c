// Tests for matching stored checkpoints to a new file (prefix_proof.h): compressed_hash is the
// CRC-64 of the deflate prefix; find_matching_checkpoint finds a checkpoint in a file that extends
// the same stream and none in a recompressed or stored one; a resumed run keeps a checkpoint for
// the next day.
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
#include "source/prefix_proof.h"
#include "source/zip_entry.h"
#include "source/zlib_inflater.h"
#include "test_support.h"

using namespace snapdelta;
using namespace snapdelta::test;

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
