// Tests for XXH64 (source/xxh64.h): the reference value of the empty input, and the low 32 bits
// of every length from 0 to 300 (each stripe and tail path) and of a large text equal to the
// content checksum libzstd writes in a frame, whatever the split of the bytes fed.
#include "source/xxh64.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <string>

#include "inflate_test_support.h"

using namespace snapdelta;
using namespace snapdelta::test;

namespace {

// The content checksum libzstd stores at the end of a frame of `text`.
uint32_t zstd_checksum(const std::string& text) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  std::string out(ZSTD_compressBound(text.size()), '\0');
  const size_t n = ZSTD_compress2(cctx, out.data(), out.size(), text.data(), text.size());
  ZSTD_freeCCtx(cctx);
  EXPECT_FALSE(ZSTD_isError(n));
  const auto* b = reinterpret_cast<const uint8_t*>(out.data() + n - 4);
  return b[0] | b[1] << 8 | b[2] << 16 | static_cast<uint32_t>(b[3]) << 24;
}

uint64_t xxh64(const std::string& text, size_t piece) {
  Xxh64 h;
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  for (size_t at = 0; at < text.size(); at += piece) {
    h.update(p + at, std::min(piece, text.size() - at));
  }
  return h.digest();
}

}  // namespace

TEST(Xxh64, EmptyInputHasTheReferenceValue) {
  EXPECT_EQ(Xxh64().digest(), 0xEF46DB3751D8E999ull);
  Xxh64 h;
  h.update(nullptr, 0);
  EXPECT_EQ(h.digest(), 0xEF46DB3751D8E999ull);
}

TEST(Xxh64, MatchesTheZstdContentChecksumForEveryLengthAndSplit) {
  const std::string bytes = random_bytes(300, 41);
  for (size_t n = 0; n <= bytes.size(); ++n) {
    const std::string text = bytes.substr(0, n);
    const uint32_t want = zstd_checksum(text);
    for (const size_t piece : {size_t{1}, size_t{5}, size_t{31}, size_t{32}, size_t{33}, n + 1}) {
      ASSERT_EQ(static_cast<uint32_t>(xxh64(text, piece == 0 ? 1 : piece)), want)
          << n << " bytes in pieces of " << piece;
    }
  }
  const std::string text = csv_text(3'000'000, 42);
  EXPECT_EQ(static_cast<uint32_t>(xxh64(text, 128 * 1024 + 7)), zstd_checksum(text));
}
