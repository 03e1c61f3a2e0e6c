// Tests for GrowRegion (common/grow_region.h) and GrowArray (common/grow_array.h): what was
// written survives every growth — in place, past the reservation (the region moves), and from the
// heap into a region — new region bytes read as zero, and moved-from arrays are empty.
#include "common/grow_array.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include "common/grow_region.h"

using namespace snapdelta;

namespace {

constexpr size_t kMiB = size_t{1} << 20;

// Byte i of a pattern that differs at every offset a page or a huge page could split.
uint8_t pattern(size_t i) { return static_cast<uint8_t>(i * 131 + (i >> 12) * 7 + (i >> 21)); }

}  // namespace

TEST(GrowRegion, KeepsItsBytesInPlaceWithinItsReservationAndNewBytesAreZero) {
  GrowRegion r(16 * kMiB);
  EXPECT_FALSE(r.reserved());
  r.commit(100);
  ASSERT_TRUE(r.reserved());
  uint8_t* const first = r.data();
  EXPECT_EQ(reinterpret_cast<uintptr_t>(first) % (2 * kMiB), 0u);
  for (size_t i = 0; i < 100; ++i) r.data()[i] = pattern(i);
  r.commit(5 * kMiB + 1);
  EXPECT_EQ(r.data(), first);
  EXPECT_GE(r.committed(), 5 * kMiB + 1);
  for (size_t i = 0; i < 100; ++i) ASSERT_EQ(r.data()[i], pattern(i)) << i;
  for (size_t i = 100; i < 5 * kMiB + 1; i += 4093) ASSERT_EQ(r.data()[i], 0) << i;
  r.data()[5 * kMiB] = 7;  // the last byte asked for is writable
  EXPECT_EQ(r.data()[5 * kMiB], 7);
}

TEST(GrowRegion, MovesPastItsReservationWithEveryByte) {
  GrowRegion r(2 * kMiB);
  r.commit(2 * kMiB);
  for (size_t i = 0; i < 2 * kMiB; ++i) r.data()[i] = pattern(i);
  r.commit(9 * kMiB);  // past the reservation: a larger one, the bytes copied
  for (size_t i = 0; i < 2 * kMiB; ++i) ASSERT_EQ(r.data()[i], pattern(i)) << i;
  for (size_t i = 2 * kMiB; i < 9 * kMiB; i += 4093) ASSERT_EQ(r.data()[i], 0) << i;
  r.data()[9 * kMiB - 1] = 1;
  GrowRegion moved(std::move(r));
  EXPECT_FALSE(r.reserved());  // NOLINT(bugprone-use-after-move): the moved-from state is the test
  EXPECT_EQ(moved.data()[9 * kMiB - 1], 1);
  EXPECT_EQ(moved.data()[12345], pattern(12345));
}

TEST(GrowArray, KeepsEveryElementFromTheHeapIntoARegion) {
  GrowArray<int64_t> a;
  EXPECT_EQ(a.size(), 0u);
  // Past GrowArray's region threshold several times over, in uneven steps.
  const size_t total = 3 * GrowArray<int64_t>::kRegionBytes / sizeof(int64_t) + 5;
  int64_t next = 0;
  for (size_t step = 1; a.size() < total; step = step % 7 + 1) {
    int64_t* at = a.extend(step);
    for (size_t i = 0; i < step; ++i) at[i] = next++ * 3 - 1;
  }
  ASSERT_EQ(a.size(), static_cast<size_t>(next));
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], static_cast<int64_t>(i) * 3 - 1) << i;
  const std::vector<int64_t> copied(a.begin(), a.end());
  EXPECT_EQ(copied.size(), a.size());
  EXPECT_EQ(copied.back(), a[a.size() - 1]);

  GrowArray<int64_t> moved(std::move(a));
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(moved[total / 2], static_cast<int64_t>(total / 2) * 3 - 1);
  GrowArray<int64_t> assigned;
  assigned.extend(3)[0] = 42;
  assigned = std::move(moved);
  EXPECT_EQ(assigned[0], -1);
  EXPECT_EQ(assigned.size(), static_cast<size_t>(next));
}

TEST(GrowArray, ExtendingByNothingOnAnEmptyArrayIsFine) {
  GrowArray<int64_t> a;
  a.extend(0);
  EXPECT_EQ(a.size(), 0u);
  a.extend(1)[0] = 9;
  EXPECT_EQ(a[0], 9);
}
