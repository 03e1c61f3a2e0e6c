// Tests for locating a drop's member (zip_entry.h): the member's raw span, sizes and CRC, ZIP64
// members, and every bad container failing with one line naming the path.
#include "source/zip_entry.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <zlib.h>

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

namespace {

std::string zip_error(const std::string& path) {
  try {
    locate_zip_entry(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

// A drop named .zip whose bytes are another container, or text, says what it found; only a zip
// archive cut short says truncated.
TEST(ZipEntryErrors, ANonZipSaysWhatItFound) {
  TempDir dir("zipfound");
  const std::string text = "transaction_id,transaction_date\n1,2\n";
  const std::string p = dir / "d.zip";
  test::write_file(p, gzip_of(text));
  EXPECT_EQ(zip_error(p), p + ": expected a zip archive, found a gzip file");
  const std::string zstd = std::string("\x28\xb5\x2f\xfd", 4) + "rest of a frame";
  test::write_file(p, zstd);
  EXPECT_EQ(zip_error(p), p + ": expected a zip archive, found a zstd file");
  test::write_file(p, text);
  EXPECT_EQ(zip_error(p), p + ": expected a zip archive, found text "
                              "\"transaction_id,transaction_date\\x0a1,2\\x0a\"");
  test::write_file(p, std::string("\x01\x02\x03\x04\x05", 5));
  EXPECT_EQ(zip_error(p), p + ": expected a zip archive, found binary data (bytes 01 02 03 04)");
  test::write_zip_text(dir / "good.zip", csv_text(10'000, 2));
  const std::string bytes = test::read_file(dir / "good.zip");
  test::write_file(p, bytes.substr(0, bytes.size() / 2));
  EXPECT_EQ(zip_error(p), p + ": expected a zip archive, found a zip archive without a valid "
                              "central directory (truncated)");
}

// A zip must end where its end-of-central-directory record (and its comment) ends, as gzip and
// zstd drops must end where their data ends: trailing bytes fail in one line with their offset.
TEST(ZipEntryErrors, TrailingBytesAfterTheEndRecord) {
  TempDir dir("ziptrail");
  const std::string text = csv_text(10'000, 2);
  const std::string good = dir / "good.zip";
  test::write_zip_text(good, text);
  const std::string bytes = test::read_file(good);
  const std::string p = dir / "d.zip";
  test::write_file(p, bytes + "garbage\n");
  EXPECT_EQ(zip_error(p), fmt::format("{}: expected the end of the file after the zip "
                                      "end-of-central-directory record (and its 0-byte comment) at "
                                      "byte {}, found 8 more bytes: text \"garbage\\x0a\"",
                                      p, bytes.size()));
  test::write_file(p, bytes + std::string(100, '\0'));
  EXPECT_EQ(zip_error(p), fmt::format("{}: expected the end of the file after the zip "
                                      "end-of-central-directory record (and its 0-byte comment) at "
                                      "byte {}, found 100 zero bytes of padding",
                                      p, bytes.size()));
  // A comment is part of the record: the archive may end with it, and not after it.
  {
    zipFile zf = zipOpen64(p.c_str(), APPEND_STATUS_CREATE);
    zip_fileinfo info{};
    ASSERT_EQ(zipOpenNewFileInZip64(zf, "d.csv", &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                                    6, 0),
              ZIP_OK);
    ASSERT_EQ(zipWriteInFileInZip(zf, text.data(), static_cast<unsigned>(text.size())), ZIP_OK);
    ASSERT_EQ(zipCloseFileInZip(zf), ZIP_OK);
    ASSERT_EQ(zipClose(zf, "a comment"), ZIP_OK);
  }
  EXPECT_EQ(locate_zip_entry(p).uncompressed_size, text.size());
  const std::string commented = test::read_file(p);
  test::write_file(p, commented + "x");
  EXPECT_EQ(zip_error(p), fmt::format("{}: expected the end of the file after the zip "
                                      "end-of-central-directory record (and its 9-byte comment) at "
                                      "byte {}, found 1 more byte: text \"x\"",
                                      p, commented.size()));
}

namespace {

void put_le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

uint64_t get_le(const std::string& in, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(in[at + i]);
  return v;
}

// `zip` (one member, no comment) with a ZIP64 end-of-central-directory record and its locator
// put before the end record, as archives past 4 GiB have them; the locator names the record's
// offset plus `skew`.
std::string with_zip64_end(const std::string& zip, uint64_t skew) {
  const size_t eocd = zip.size() - 22;
  const uint64_t entries = get_le(zip, eocd + 10, 2);
  const uint64_t cd_size = get_le(zip, eocd + 12, 4);
  const uint64_t cd_offset = get_le(zip, eocd + 16, 4);
  std::string record = "PK\x06\x06";
  put_le(record, 44, 8);  // the record's size after this field
  put_le(record, 45, 2);
  put_le(record, 45, 2);
  put_le(record, 0, 4);
  put_le(record, 0, 4);
  put_le(record, entries, 8);
  put_le(record, entries, 8);
  put_le(record, cd_size, 8);
  put_le(record, cd_offset, 8);
  std::string locator = "PK\x06\x07";
  put_le(locator, 0, 4);
  put_le(locator, eocd + skew, 8);
  put_le(locator, 1, 4);
  return zip.substr(0, eocd) + record + locator + zip.substr(eocd);
}

}  // namespace

// A ZIP64 archive: its ZIP64 end record must be where the locator says, ending where the locator
// begins; trailing bytes fail as for any zip.
TEST(ZipEntryErrors, Zip64EndRecordAndTrailingBytes) {
  TempDir dir("zip64trail");
  const std::string text = csv_text(20'000, 4);
  test::write_zip_text(dir / "plain.zip", text);
  const std::string plain = test::read_file(dir / "plain.zip");
  const std::string p = dir / "d.zip";
  const std::string z64 = with_zip64_end(plain, 0);
  test::write_file(p, z64);
  EXPECT_EQ(locate_zip_entry(p).uncompressed_size, text.size());
  test::write_file(p, z64 + "junk");
  EXPECT_EQ(zip_error(p), fmt::format("{}: expected the end of the file after the zip "
                                      "end-of-central-directory record (and its 0-byte comment) at "
                                      "byte {}, found 4 more bytes: text \"junk\"",
                                      p, z64.size()));
  test::write_file(p, with_zip64_end(plain, 4));
  const size_t record = plain.size() - 22;
  EXPECT_EQ(zip_error(p), fmt::format("{}: expected the ZIP64 end-of-central-directory record the "
                                      "locator at byte {} names at byte {}, ending where the "
                                      "locator begins, found other bytes (corrupt zip)",
                                      p, record + 56, record + 4));
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
