// Tests for locating a drop's member (zip_entry.h): the member's raw span, sizes and CRC, ZIP64
// members, and every bad container failing with one line naming the path.
#include "source/zip_entry.h"

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
#include "source/zlib_inflater.h"
#include "test_support.h"

using namespace snapdelta;
using namespace snapdelta::test;

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

namespace snapdelta {
namespace {

std::string error_of(const std::string& path, const std::string& glob) {
  try {
    locate_zip_entry(path, glob);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(ZipEntryGlob, TheJobsEntryGlobPicksOneMemberOrSaysWhy) {
  test::TempDir dir("zip_glob");
  const std::string zip = dir / "drop.zip";
  zipFile zf = zipOpen64(zip.c_str(), APPEND_STATUS_CREATE);
  for (const char* name : {"readme.txt", "sales.csv", "costs.csv"}) {
    zip_fileinfo info{};
    ASSERT_EQ(
        zipOpenNewFileInZip64(zf, name, &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED, 6, 0),
        ZIP_OK);
    ASSERT_EQ(zipWriteInFileInZip(zf, name, 5), ZIP_OK);
    ASSERT_EQ(zipCloseFileInZip(zf), ZIP_OK);
  }
  ASSERT_EQ(zipClose(zf, nullptr), ZIP_OK);
  EXPECT_EQ(locate_zip_entry(zip, "sales*").name, "sales.csv");
  EXPECT_EQ(error_of(zip, ""),
            zip +
                ": expected one CSV member, found 3 files (readme.txt, sales.csv, costs.csv); "
                "name the one to read with entry = \"GLOB\" in the job's [source]");
  EXPECT_EQ(error_of(zip, "*.json"), zip +
                                         ": expected a member matching entry \"*.json\", found "
                                         "none among readme.txt, sales.csv, costs.csv");
  EXPECT_EQ(error_of(zip, "*.csv"), zip +
                                        ": expected one member matching entry \"*.csv\", found 2 "
                                        "(sales.csv, costs.csv)");
}

}  // namespace
}  // namespace snapdelta
