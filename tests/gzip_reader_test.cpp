// Tests for the gzip container (gzip_reader.h, gzip_header.h, raw_deflate_inflater.h): round
// trips against zlib's own gzip writer, multi-member files read whole and from a member boundary,
// every optional header field, and each fault with its exact one-line message.
#include "source/gzip_reader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "inflate_test_support.h"
#include "source/file_reader.h"
#include "source/gzip_header.h"
#include "test_support.h"

using namespace snapdelta;
using namespace snapdelta::test;

namespace {

struct HeaderFields {
  std::string name;
  std::string comment;
  std::string extra;
  bool hcrc = false;
};

// One gzip member made by zlib itself (deflateInit2 with windowBits 31, deflateSetHeader).
std::string gzip_member(const std::string& text, int level, const HeaderFields* fields = nullptr) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
  gz_header h{};
  std::string name = fields ? fields->name : "", comment = fields ? fields->comment : "";
  std::string extra = fields ? fields->extra : "";
  if (fields) {
    h.name = fields->name.empty() ? Z_NULL : reinterpret_cast<Bytef*>(name.data());
    h.comment = fields->comment.empty() ? Z_NULL : reinterpret_cast<Bytef*>(comment.data());
    h.extra = fields->extra.empty() ? Z_NULL : reinterpret_cast<Bytef*>(extra.data());
    h.extra_len = static_cast<uInt>(extra.size());
    h.hcrc = fields->hcrc ? 1 : 0;
    h.os = 3;
    EXPECT_EQ(deflateSetHeader(&z, &h), Z_OK);
  }
  std::string out(deflateBound(&z, text.size()) + 1024, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

struct Read {
  std::string out;
  std::vector<GzipMember> members;
};

Read read_gzip(const std::string& path, const GzipStart& from = {}) {
  const FileReader file(path);
  StringSink sink;
  Read r;
  r.members = inflate_gzip(file, sink, from);
  r.out = std::move(sink.out);
  return r;
}

std::string error_of(const std::string& path) {
  try {
    read_gzip(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

std::string write(const TempDir& dir, const std::string& bytes, const std::string& name = "d.gz") {
  const std::string path = dir / name;
  write_file(path, bytes);
  return path;
}

}  // namespace

TEST(GzipReader, OneMemberInflatesToZlibsInputWithItsSpansAndTrailer) {
  TempDir dir("gzip");
  const std::string text = csv_text(700'000, 1);
  const std::string gz = gzip_member(text, 6);
  const Read r = read_gzip(write(dir, gz));
  EXPECT_EQ(r.out, text);
  ASSERT_EQ(r.members.size(), 1u);
  const GzipMember& m = r.members[0];
  EXPECT_EQ(m.index, 0u);
  EXPECT_EQ(m.offset, 0u);
  EXPECT_EQ(m.header_length, 10u);
  EXPECT_EQ(m.deflate_length, gz.size() - 18);
  EXPECT_EQ(m.end(), gz.size());
  EXPECT_EQ(m.crc32, crc_of(text));
  EXPECT_EQ(m.isize, text.size());
  EXPECT_EQ(m.out_offset, 0u);
  EXPECT_EQ(m.out_size, text.size());
}

TEST(GzipReader, EveryLevelAndTinyInputsFindTheDeflateEnd) {
  TempDir dir("gzip");
  for (const int level : {0, 1, 6, 9}) {
    for (const size_t size : {size_t{0}, size_t{1}, size_t{100}, size_t{300'000}}) {
      const std::string text = csv_text(size, level + size);
      const std::string gz = gzip_member(text, level);
      const Read r = read_gzip(write(dir, gz));
      EXPECT_EQ(r.out, text) << "level " << level << " size " << size;
      ASSERT_EQ(r.members.size(), 1u);
      EXPECT_EQ(r.members[0].end(), gz.size()) << "level " << level << " size " << size;
    }
  }
}

TEST(GzipReader, ConcatenatedMembersReadWholeAndFromAMemberBoundary) {
  TempDir dir("gzip");
  const std::vector<std::string> parts = {csv_text(200'000, 1), csv_text(5'000, 2), "",
                                          csv_text(90'000, 3)};
  std::string gz, all;
  std::vector<uint64_t> starts;
  for (size_t i = 0; i < parts.size(); ++i) {
    starts.push_back(gz.size());
    gz += gzip_member(parts[i], i % 2 ? 1 : 6);
    all += parts[i];
  }
  const std::string path = write(dir, gz);
  const Read r = read_gzip(path);
  EXPECT_EQ(r.out, all);
  ASSERT_EQ(r.members.size(), parts.size());
  uint64_t out = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    EXPECT_EQ(r.members[i].index, i);
    EXPECT_EQ(r.members[i].offset, starts[i]);
    EXPECT_EQ(r.members[i].out_offset, out);
    EXPECT_EQ(r.members[i].out_size, parts[i].size());
    EXPECT_EQ(r.members[i].crc32, crc_of(parts[i]));
    out += parts[i].size();
  }
  const Read rest = read_gzip(path, GzipStart::after(r.members[1]));
  EXPECT_EQ(rest.out, parts[2] + parts[3]);
  ASSERT_EQ(rest.members.size(), 2u);
  EXPECT_EQ(rest.members[0].index, 2u);
  EXPECT_EQ(rest.members[1].out_offset, parts[0].size() + parts[1].size() + parts[2].size());
  EXPECT_TRUE(read_gzip(path, GzipStart::after(r.members.back())).members.empty());
  EXPECT_EQ(list_gzip_members(FileReader(path)).size(), parts.size());
}

TEST(GzipReader, OptionalHeaderFieldsAreSkippedAndTheHeaderCrcChecked) {
  TempDir dir("gzip");
  const std::string text = csv_text(20'000, 4);
  const HeaderFields fields{"transactions_day_3.csv", "a comment", std::string("ab\0cd", 5), true};
  const std::string gz = gzip_member(text, 6, &fields);
  const Read r = read_gzip(write(dir, gz));
  EXPECT_EQ(r.out, text);
  // 10 fixed + 2 + 5 extra + name and NUL + comment and NUL + 2 CRC-16
  EXPECT_EQ(r.members[0].header_length, 10u + 2 + 5 + 23 + 10 + 2);
  const GzipHeader h =
      *parse_gzip_header(std::span(reinterpret_cast<const uint8_t*>(gz.data()), gz.size()), "x", 0);
  EXPECT_EQ(h.name, "transactions_day_3.csv");

  std::string bad = gz;
  bad[r.members[0].header_length - 1] ^= 0x01;
  const uint16_t stored = static_cast<uint8_t>(bad[r.members[0].header_length - 2]) |
                          static_cast<uint8_t>(bad[r.members[0].header_length - 1]) << 8;
  const uint16_t actual = stored ^ 0x0100;
  EXPECT_EQ(error_of(write(dir, bad)),
            fmt::format("{}: expected header CRC-16 0x{:04x} in the gzip member at byte 0, found "
                        "0x{:04x}",
                        dir / "d.gz", stored, actual));
}

TEST(GzipReaderErrors, NotGzipSaysWhatItFound) {
  TempDir dir("gzip");
  const std::string zip = dir / "d.gz";
  write_zip_text(zip, "a,b\n1,2\n");
  EXPECT_EQ(error_of(zip), zip + ": expected a gzip file, found a zip archive");
  EXPECT_EQ(error_of(write(dir, "")), dir / "d.gz" + ": expected a gzip file, found an empty file");
  EXPECT_EQ(
      error_of(write(dir, "transaction_id,transaction_date\n1,2\n")),
      dir / "d.gz" +
          ": expected a gzip file, found text \"transaction_id,transaction_date\\x0a1,2\\x0a\"");
  EXPECT_EQ(error_of(write(dir, std::string("\x28\xb5\x2f\xfd\x00", 5))),
            dir / "d.gz" + ": expected a gzip file, found a zstd file");
  EXPECT_EQ(error_of(write(dir, std::string("\x1f\x00\x01\x02", 4))),
            dir / "d.gz" + ": expected a gzip file, found binary data (bytes 1f 00 01 02)");
}

TEST(GzipReaderErrors, BadHeadersNameTheMember) {
  TempDir dir("gzip");
  const std::string gz = gzip_member("a,b\n", 6);
  const std::string p = dir / "d.gz";
  std::string method = gz;
  method[2] = 7;
  EXPECT_EQ(error_of(write(dir, method)),
            p + ": expected gzip compression method 8 (deflate) in the member at byte 0, found "
                "method 7");
  std::string flags = gz;
  flags[3] = 0x20;
  EXPECT_EQ(error_of(write(dir, flags)),
            p + ": expected gzip header flags without reserved bits in the member at byte 0, "
                "found flags 0x20");
  EXPECT_EQ(error_of(write(dir, gz.substr(0, 5))),
            p + ": expected a complete gzip header at byte 0, found the end of the file after 5 "
                "bytes (truncated)");
  std::string name = gz.substr(0, 10) + "no terminating NUL";
  name[3] = 0x08;  // FNAME
  EXPECT_EQ(error_of(write(dir, name)),
            p + ": expected a complete gzip header at byte 0, found the end of the file after 28 "
                "bytes (truncated)");
}

TEST(GzipReaderErrors, TruncatedMembersAndTrailers) {
  TempDir dir("gzip");
  const std::string first = gzip_member(csv_text(50'000, 5), 6);
  const std::string gz = first + gzip_member(csv_text(80'000, 6), 6);
  const std::string p = dir / "d.gz";
  EXPECT_EQ(error_of(write(dir, gz.substr(0, gz.size() - 8))),
            fmt::format("{}: expected an 8-byte trailer (CRC-32, ISIZE) at byte {}, after the "
                        "deflate data of gzip member 2 (from byte {}), found the end of the file "
                        "(truncated)",
                        p, gz.size() - 8, first.size()));
  EXPECT_EQ(error_of(write(dir, gz.substr(0, gz.size() - 3))),
            fmt::format("{}: expected an 8-byte trailer (CRC-32, ISIZE) at byte {}, after the "
                        "deflate data of gzip member 2 (from byte {}), found only 5 bytes "
                        "(truncated)",
                        p, gz.size() - 8, first.size()));
  const size_t cut = first.size() + 2000;
  EXPECT_EQ(error_of(write(dir, gz.substr(0, cut))),
            fmt::format("{}: expected the end of the deflate data of gzip member 2 (from byte {}), "
                        "found the end of the file at byte {} (truncated)",
                        p, first.size(), cut));
}

TEST(GzipReaderErrors, ChecksumAndSizeMismatches) {
  TempDir dir("gzip");
  const std::string text = csv_text(30'000, 7);
  const std::string gz = gzip_member(text, 6);
  const std::string p = dir / "d.gz";
  const uint32_t crc = crc_of(text);
  std::string bad_crc = gz;
  bad_crc[gz.size() - 8] ^= 0x5a;
  EXPECT_EQ(error_of(write(dir, bad_crc)),
            fmt::format("{}: expected CRC-32 0x{:08x} for gzip member 1 (trailer at byte {}), "
                        "found 0x{:08x} in the inflated data",
                        p, crc ^ 0x5a, gz.size() - 8, crc));
  std::string bad_size = gz;
  bad_size[gz.size() - 4] ^= 0x01;
  EXPECT_EQ(error_of(write(dir, bad_size)),
            fmt::format("{}: expected ISIZE {} for gzip member 1 (trailer at byte {}), found {} "
                        "bytes inflated (mod 2^32: {})",
                        p, text.size() ^ 1, gz.size() - 8, text.size(), text.size()));
}

TEST(GzipReaderErrors, TrailingBytesAndZeroPaddingAreRefused) {
  TempDir dir("gzip");
  const std::string gz = gzip_member("a,b\n1,2\n", 6);
  const std::string p = dir / "d.gz";
  EXPECT_EQ(error_of(write(dir, gz + "hello")),
            fmt::format("{}: expected another gzip member or the end of the file at byte {}, "
                        "found 5 more bytes: text \"hello\"",
                        p, gz.size()));
  EXPECT_EQ(error_of(write(dir, gz + std::string(512, '\0'))),
            fmt::format("{}: expected another gzip member or the end of the file at byte {}, "
                        "found 512 zero bytes of padding",
                        p, gz.size()));
  EXPECT_EQ(error_of(write(dir, gz + "\x1f")),
            fmt::format("{}: expected another gzip member or the end of the file at byte {}, "
                        "found 1 more byte: binary data (bytes 1f)",
                        p, gz.size()));
}

TEST(GzipReaderErrors, CorruptDeflateData) {
  TempDir dir("gzip");
  // A final block of the reserved type 3 right after a plain header.
  const std::string gz =
      gzip_member("", 6).substr(0, 10) + std::string("\x07\x00\x00\x00", 4) + std::string(8, '\0');
  EXPECT_EQ(error_of(write(dir, gz)),
            dir / "d.gz" +
                ": expected deflate data in gzip member 1 (from byte 0), found corrupt bytes near "
                "byte 18 (ISA-L error -1)");
}

TEST(GzipReaderErrors, AResumePastTheEndSaysTheFileShrank) {
  TempDir dir("gzip");
  const std::string p = write(dir, gzip_member("a\n", 6));
  try {
    read_gzip(p, GzipStart{1000, 5, 1});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              p + ": expected a gzip member boundary at byte 1000, found a file of 22 bytes "
                  "(shorter than what was read before)");
  }
}
