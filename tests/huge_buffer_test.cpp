// Tests for HugeBuffer (common/huge_buffer.h): 2 MiB aligned, zeroed, writable to its last byte,
// whatever the size asked, and independent of each other.
#include "common/huge_buffer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

using namespace snapdelta;

TEST(HugeBuffer, AlignedZeroedAndWritableForAnySize) {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  for (const size_t size :
       {size_t{1}, size_t{4096}, (size_t{2} << 20) - 1, size_t{2} << 20, (size_t{5} << 20) + 3}) {
    HugeBuffer b(size);
    ASSERT_EQ(b.size(), size);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(b.data()) % kHuge, 0u) << size;
    EXPECT_TRUE(std::all_of(b.data(), b.data() + size, [](uint8_t c) { return c == 0; })) << size;
    std::memset(b.data(), 0xab, size);
    EXPECT_EQ(b.data()[size - 1], 0xab);
  }
}

TEST(HugeBuffer, TwoBuffersDoNotOverlap) {
  HugeBuffer a(3 << 20), b(3 << 20);
  std::memset(a.data(), 1, a.size());
  std::memset(b.data(), 2, b.size());
  EXPECT_TRUE(std::all_of(a.data(), a.data() + a.size(), [](uint8_t c) { return c == 1; }));
  EXPECT_TRUE(std::all_of(b.data(), b.data() + b.size(), [](uint8_t c) { return c == 2; }));
}
