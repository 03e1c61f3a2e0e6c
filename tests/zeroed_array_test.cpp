// Tests for ZeroedArray (common/zeroed_array.h) and MappedPages (common/mapped_pages.h): every
// element zero when made, small (heap) or large (pages of its own), writable to the last one, and
// a moved-from array empty while the moved-to one keeps the elements.
#include "common/zeroed_array.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "common/mapped_pages.h"

using namespace snapdelta;

TEST(ZeroedArray, ZeroWhenMadeAndWritableSmallOrLarge) {
  const size_t large = ZeroedArray<uint32_t>::kMappedBytes / sizeof(uint32_t);
  for (const size_t n : {size_t{1}, size_t{63}, large - 1, large, 3 * large + 7}) {
    ZeroedArray<uint32_t> a(n);
    ASSERT_EQ(a.size(), n);
    EXPECT_TRUE(std::all_of(a.data(), a.data() + n, [](uint32_t v) { return v == 0; })) << n;
    a[n - 1] = 5;
    a[0] = 4;
    EXPECT_EQ(a[n - 1], n == 1 ? 4u : 5u) << n;
  }
  EXPECT_EQ(ZeroedArray<uint32_t>(0).data(), nullptr);
}

TEST(ZeroedArray, AMoveKeepsTheElementsAndEmptiesTheSource) {
  const size_t large = ZeroedArray<uint32_t>::kMappedBytes / sizeof(uint32_t) + 1;
  ZeroedArray<uint32_t> a(large);
  a[large - 1] = 9;
  ZeroedArray<uint32_t> b(10);
  b = std::move(a);
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move): the moved-from state is the test
  EXPECT_EQ(a.data(), nullptr);
  ASSERT_EQ(b.size(), large);
  EXPECT_EQ(b[large - 1], 9u);
  ZeroedArray<uint32_t> c(std::move(b));
  EXPECT_EQ(c[large - 1], 9u);
}

TEST(MappedPages, ZeroedPagesOfItsOwnAndEmptyWhenMovedFrom) {
  MappedPages p(12345);
  ASSERT_NE(p.data(), nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p.data()) % 4096, 0u);
  auto* bytes = static_cast<uint8_t*>(p.data());
  EXPECT_TRUE(std::all_of(bytes, bytes + p.size(), [](uint8_t v) { return v == 0; }));
  bytes[12344] = 1;
  MappedPages q = std::move(p);
  EXPECT_EQ(p.data(), nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(static_cast<uint8_t*>(q.data())[12344], 1);
  EXPECT_EQ(MappedPages().data(), nullptr);
}
