// drop_scan.h capture_span(): with the previous run's checkpoints, the capture span is five of
// their widest gaps, clamped to [64 KiB, kCaptureSpan]; without two of them, kCaptureSpan.
#include <gtest/gtest.h>

#include <vector>

#include "pipeline/drop_scan.h"

using namespace snapdelta;

namespace {
std::vector<StoredCheckpoint> at(std::vector<uint64_t> in_bytes) {
  std::vector<StoredCheckpoint> cps;
  for (uint64_t b : in_bytes) {
    StoredCheckpoint c;
    c.in_byte = b;
    cps.push_back(c);
  }
  return cps;
}
}  // namespace

TEST(CaptureSpan, FollowsTheWidestGapBetweenPreviousCheckpoints) {
  EXPECT_EQ(capture_span({}), kCaptureSpan);
  EXPECT_EQ(capture_span(at({500000})), kCaptureSpan);
  EXPECT_EQ(capture_span(at({500000, 500000})), kCaptureSpan);
  // Unordered, gaps 28,000 and 30,000: five times the widest.
  EXPECT_EQ(capture_span(at({558000, 500000, 528000})), 150000u);
  EXPECT_EQ(capture_span(at({500000, 501000})), uint64_t{64 << 10});  // small blocks: the floor
  EXPECT_EQ(capture_span(at({100000, 900000})), kCaptureSpan);        // huge blocks: the cap
}
