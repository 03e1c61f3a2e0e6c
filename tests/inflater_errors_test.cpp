// Tests for corrupt, truncated or lying members: zlib alone and ISA-L (handing over or not) agree
// on failing, with one error naming the archive, and never deliver more than the declared size.
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

// Runs inflate_drop_member on `zip` with zlib alone, then with ISA-L bulk inflating (handing over
// at the middle and not at all), and returns the Error text ("" if none); all three must agree on
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
      o.engine = (variant > 0) ? InflateEngine::isal_then_zlib : InflateEngine::zlib_only;
      if (variant == 1) {
        o.captured = &captured;
        o.capture_from = entry.compressed_size / 2;
      }
      std::string message;
      try {
        inflate_drop_member(drop, o, sink);
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
