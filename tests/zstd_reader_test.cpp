// Tests for the zstd container (zstd_frames.h, zstd_reader.h): round trips against libzstd used
// directly, frame spans checked against ZSTD_findFrameCompressedSize, multi-frame files with a
// skippable frame read whole and from a frame boundary, and each fault with its exact one-line
// message.
#include "source/zstd_reader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_writeSkippableFrame
#include <zstd.h>

#include <regex>
#include <string>
#include <vector>

#include "common/error.h"
#include "inflate_test_support.h"
#include "source/file_reader.h"
#include "source/zstd_frames.h"
#include "test_support.h"

using namespace snapdelta;
using namespace snapdelta::test;

namespace {

// One frame made by libzstd: level 3, with a content checksum; the content size in the header
// unless `streamed` (ZSTD_compressStream2 with no pledged size).
std::string zstd_frame(const std::string& text, bool streamed = false, bool checksum = true,
                       int window_log = 0) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3);
  if (window_log) ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, window_log);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, checksum ? 1 : 0);
  std::string out(ZSTD_compressBound(text.size()) + 64, '\0');
  size_t n = 0;
  if (!streamed) {
    n = ZSTD_compress2(cctx, out.data(), out.size(), text.data(), text.size());
  } else {
    ZSTD_inBuffer in{text.data(), text.size(), 0};
    ZSTD_outBuffer o{out.data(), out.size(), 0};
    // Fed first without ending the frame, so zstd does not know the size when it writes the header.
    while (in.pos < in.size) ZSTD_compressStream2(cctx, &o, &in, ZSTD_e_continue);
    ZSTD_inBuffer none{nullptr, 0, 0};
    while (ZSTD_compressStream2(cctx, &o, &none, ZSTD_e_end) != 0) {
    }
    n = o.pos;
  }
  ZSTD_freeCCtx(cctx);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::string skippable(const std::string& content) {
  std::string out(content.size() + 8, '\0');
  const size_t n =
      ZSTD_writeSkippableFrame(out.data(), out.size(), content.data(), content.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

struct Read {
  std::string out;
  std::vector<ZstdFrameRead> frames;
};

Read read_zstd(const std::string& path, const ZstdStart& from = {}, uint64_t out_offset = 0) {
  const FileReader file(path);
  StringSink sink;
  Read r;
  r.frames = decompress_zstd(file, sink, from, out_offset);
  r.out = std::move(sink.out);
  return r;
}

std::string error_of(const std::string& path) {
  try {
    read_zstd(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

std::string write(const TempDir& dir, const std::string& bytes) {
  const std::string path = dir / "d.zst";
  write_file(path, bytes);
  return path;
}

}  // namespace

TEST(ZstdReader, OneFrameRoundTripsWithItsSpanContentSizeAndChecksumFlag) {
  TempDir dir("zstd");
  const std::string text = csv_text(900'000, 1);
  const std::string z = zstd_frame(text);
  const Read r = read_zstd(write(dir, z));
  EXPECT_EQ(r.out, text);
  ASSERT_EQ(r.frames.size(), 1u);
  const ZstdFrame& f = r.frames[0].frame;
  EXPECT_EQ(f.offset, 0u);
  EXPECT_EQ(f.compressed_size, z.size());
  EXPECT_EQ(f.compressed_size, ZSTD_findFrameCompressedSize(z.data(), z.size()));
  EXPECT_FALSE(f.skippable);
  EXPECT_TRUE(f.has_checksum);
  EXPECT_EQ(f.content_size, text.size());
  EXPECT_EQ(r.frames[0].out_size, text.size());
}

TEST(ZstdReader, StreamedFramesHaveNoContentSizeAndManyBlocks) {
  TempDir dir("zstd");
  const std::string text = csv_text(1'500'000, 2) + random_bytes(300'000, 3);
  for (const bool checksum : {true, false}) {
    const std::string z = zstd_frame(text, true, checksum);
    const std::vector<ZstdFrame> frames = list_zstd_frames(FileReader(write(dir, z)));
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(frames[0].compressed_size, ZSTD_findFrameCompressedSize(z.data(), z.size()));
    EXPECT_FALSE(frames[0].content_size.has_value());
    EXPECT_EQ(frames[0].has_checksum, checksum);
    EXPECT_EQ(read_zstd(dir / "d.zst").out, text);
  }
}

// The decoder's memory is laid out once for the largest window of the frames it reads: a small
// window first, then larger ones (and the other way round), each frame decoded exactly.
TEST(ZstdReader, FramesWithDifferentWindowsShareOneDecoder) {
  TempDir dir("zstd");
  const std::vector<std::string> parts = {csv_text(20'000, 11), csv_text(2'500'000, 12),
                                          csv_text(600'000, 13)};
  const std::vector<int> logs = {10, 23, 17};
  std::string z, all;
  for (size_t i = 0; i < parts.size(); ++i) {
    z += zstd_frame(parts[i], true, true, logs[i]);
    all += parts[i];
  }
  const std::string path = write(dir, z);
  const Read r = read_zstd(path);
  EXPECT_EQ(r.out, all);
  ASSERT_EQ(r.frames.size(), 3u);
  EXPECT_EQ(r.frames[0].frame.window_size, 1u << 10);
  EXPECT_EQ(r.frames[1].frame.window_size, 1u << 23);
  EXPECT_EQ(r.frames[2].frame.window_size, 1u << 17);
  const Read last = read_zstd(path, ZstdStart::after(r.frames[1].frame), r.frames[2].out_offset);
  EXPECT_EQ(last.out, parts[2]);
  // Windows of a byte or two (single-segment frames of that content), under libzstd's minimum.
  const Read tiny =
      read_zstd(write(dir, zstd_frame("a") + zstd_frame("bc") + zstd_frame("d", true)));
  EXPECT_EQ(tiny.out, "abcd");
  EXPECT_EQ(tiny.frames[0].frame.window_size, 1u);
}

TEST(ZstdReader, FramesBackToBackWithASkippableOneReadWholeAndFromAFrame) {
  TempDir dir("zstd");
  const std::vector<std::string> parts = {csv_text(300'000, 4), csv_text(7'000, 5), "",
                                          csv_text(40'000, 6)};
  std::string z, all;
  std::vector<uint64_t> starts;
  for (size_t i = 0; i < parts.size(); ++i) {
    starts.push_back(z.size());
    z += zstd_frame(parts[i], i == 3);
    all += parts[i];
    if (i == 1) z += skippable("metadata");
  }
  const std::string path = write(dir, z);
  const Read r = read_zstd(path);
  EXPECT_EQ(r.out, all);
  ASSERT_EQ(r.frames.size(), 5u);
  EXPECT_TRUE(r.frames[2].frame.skippable);
  EXPECT_EQ(r.frames[2].frame.compressed_size, 16u);
  EXPECT_EQ(r.frames[2].out_size, 0u);
  EXPECT_EQ(r.frames[3].frame.offset, starts[2]);
  EXPECT_EQ(r.frames[3].frame.content_size, 0u);
  EXPECT_EQ(r.frames[4].out_offset, parts[0].size() + parts[1].size());
  for (const ZstdFrameRead& f : r.frames) {
    EXPECT_EQ(f.frame.compressed_size,
              ZSTD_findFrameCompressedSize(z.data() + f.frame.offset, z.size() - f.frame.offset));
  }
  const Read rest = read_zstd(path, ZstdStart::after(r.frames[1].frame), r.frames[2].out_offset);
  EXPECT_EQ(rest.out, parts[2] + parts[3]);
  ASSERT_EQ(rest.frames.size(), 3u);
  EXPECT_EQ(rest.frames[0].frame.index, 2u);
  EXPECT_EQ(rest.frames[2].out_offset, r.frames[4].out_offset);
  EXPECT_TRUE(read_zstd(path, ZstdStart::after(r.frames.back().frame)).frames.empty());
}

TEST(ZstdReaderErrors, NotZstdSaysWhatItFound) {
  TempDir dir("zstd");
  const std::string p = dir / "d.zst";
  EXPECT_EQ(error_of(write(dir, "")), p + ": expected a zstd file, found an empty file");
  EXPECT_EQ(error_of(write(dir, std::string("\x1f\x8b\x08\x00", 4))),
            p + ": expected a zstd file, found a gzip file");
  write_zip_text(p, "a,b\n");
  EXPECT_EQ(error_of(p), p + ": expected a zstd file, found a zip archive");
  EXPECT_EQ(error_of(write(dir, "id,day\n")),
            p + ": expected a zstd file, found text \"id,day\\x0a\"");
}

TEST(ZstdReaderErrors, TruncatedFrames) {
  TempDir dir("zstd");
  const std::string first = zstd_frame(csv_text(20'000, 7));
  const std::string second = zstd_frame(csv_text(400'000, 8));
  const std::string z = first + second;
  const std::string p = dir / "d.zst";
  const std::string second_name = fmt::format("zstd frame 2 (from byte {})", first.size());
  EXPECT_EQ(error_of(write(dir, z.substr(0, z.size() - 2))),
            fmt::format("{}: expected the 4-byte content checksum at byte {} of {}, found the end "
                        "of the file at byte {} (truncated)",
                        p, z.size() - 4, second_name, z.size() - 2));
  EXPECT_EQ(error_of(write(dir, z.substr(0, first.size() + 5))),
            fmt::format("{}: expected the frame header at byte {} of {}, found the end of the "
                        "file at byte {} (truncated)",
                        p, first.size(), second_name, first.size() + 5));
  const std::string cut = z.substr(0, first.size() + second.size() / 2);
  const std::string e = error_of(write(dir, cut));
  EXPECT_TRUE(std::regex_match(
      e,
      std::regex(test::regex_escape(p + ": expected the ") + "[0-9]+-byte block at byte [0-9]+ " +
                 test::regex_escape("of " + second_name + ", found the end of the file at byte " +
                                    std::to_string(cut.size()) + " (truncated)"))))
      << e;
  EXPECT_NE(e.find(fmt::format(", found the end of the file at byte {} (truncated)", cut.size())),
            std::string::npos)
      << e;
}

TEST(ZstdReaderErrors, TrailingBytesAndZeroPadding) {
  TempDir dir("zstd");
  const std::string z = zstd_frame("a,b\n1,2\n");
  const std::string p = dir / "d.zst";
  EXPECT_EQ(error_of(write(dir, z + "junk")),
            fmt::format("{}: expected another zstd frame or the end of the file at byte {}, found "
                        "4 more bytes: text \"junk\"",
                        p, z.size()));
  EXPECT_EQ(error_of(write(dir, z + std::string(100, '\0'))),
            fmt::format("{}: expected another zstd frame or the end of the file at byte {}, found "
                        "100 zero bytes of padding",
                        p, z.size()));
}

// A window past the limit (2^27 bytes) is refused by libzstd in one line before any memory for it
// is touched.
TEST(ZstdReaderErrors, WindowPastTheLimit) {
  TempDir dir("zstd");
  const std::string z = zstd_frame(csv_text(30'000, 14), true, true, kZstdWindowLogMax + 1);
  ASSERT_EQ(list_zstd_frames(FileReader(write(dir, z)))[0].window_size,
            uint64_t{1} << (kZstdWindowLogMax + 1));
  EXPECT_EQ(error_of(dir / "d.zst"),
            (dir / "d.zst") +
                ": expected zstd frame 1 at byte 0 to decode, found corrupt data "
                "(Frame requires too much memory for decoding)");
}

TEST(ZstdReaderErrors, ChecksumMismatchAndCorruptBlocks) {
  TempDir dir("zstd");
  const std::string text = csv_text(50'000, 9);
  const std::string z = zstd_frame(text);
  const std::string p = dir / "d.zst";
  std::string bad_sum = z;
  bad_sum[z.size() - 1] ^= 0x40;
  EXPECT_EQ(error_of(write(dir, bad_sum)),
            p + ": expected the content checksum of zstd frame 1 at byte 0 to match its data, "
                "found a mismatch (corrupt)");
  // magic, descriptor 0x20 (single segment, 1-byte content size), content size 4, then one last
  // compressed block of 4 bytes that are not a valid block.
  const std::string garbage = std::string("\x28\xb5\x2f\xfd\x20\x04", 6) +
                              std::string("\x25\x00\x00", 3) + "\xff\xff\xff\xff";
  EXPECT_EQ(error_of(write(dir, garbage)),
            p + ": expected zstd frame 1 at byte 0 to decode, found corrupt data (Dictionary is "
                "corrupted)");
  const std::string reserved =
      std::string("\x28\xb5\x2f\xfd\x20\x04", 6) + std::string("\x07\x00\x00", 3);
  EXPECT_EQ(error_of(write(dir, reserved)),
            p + ": expected a zstd block header at byte 6 of zstd frame 1 (from byte 0), found the "
                "reserved block type 3 (corrupt)");
  const std::string bad_header = std::string("\x28\xb5\x2f\xfd\x28\x04", 6);  // reserved bit 3
  EXPECT_EQ(error_of(write(dir, bad_header)),
            p + ": expected a zstd frame header at byte 0, found one libzstd refuses (Unsupported "
                "frame parameter)");
}

// The decoder's ring holds a small window and a few blocks: a frame many times larger than its
// window wraps it again and again, with matches that reach back across the wrap, raw blocks
// (random bytes) and RLE blocks (runs of one byte) in between; every byte decodes exactly.
TEST(ZstdReader, AFrameManyWindowsLongWrapsTheRingExactly) {
  TempDir dir("zstd");
  std::string text;
  for (uint64_t i = 0; i < 6; ++i) {
    text += csv_text(700'000, 20 + i);
    text += random_bytes(150'000 + 7 * i, 30 + i);
    text += std::string(200'000 + i, static_cast<char>('a' + i));
  }
  for (const int log : {10, 17}) {
    const std::string z = zstd_frame(text, false, true, log);
    const Read r = read_zstd(write(dir, z));
    ASSERT_EQ(r.frames.size(), 1u);
    EXPECT_EQ(r.frames[0].frame.window_size, uint64_t{1} << log);
    EXPECT_EQ(r.out.size(), text.size());
    EXPECT_TRUE(r.out == text) << "window 2^" << log;
  }
}

// A frame whose header declares more bytes than its blocks hold fails in one line, as does one
// that needs a dictionary (none is given).
TEST(ZstdReaderErrors, ContentSizeMismatchAndADictionaryFrame) {
  TempDir dir("zstd");
  const std::string p = dir / "d.zst";
  // magic, descriptor 0x20 (single segment, 1-byte content size 5), one last raw block of 4 bytes.
  const std::string short_content =
      std::string("\x28\xb5\x2f\xfd\x20\x05", 6) + std::string("\x21\x00\x00", 3) + "abcd";
  EXPECT_EQ(error_of(write(dir, short_content)),
            p + ": expected zstd frame 1 at byte 0 to decode to the 5 bytes its header declares, "
                "found 4");
  // descriptor 0x21: single segment, a 1-byte dictionary id (7), content size 4.
  const std::string dict =
      std::string("\x28\xb5\x2f\xfd\x21\x07\x04", 7) + std::string("\x21\x00\x00", 3) + "abcd";
  EXPECT_EQ(error_of(write(dir, dict)),
            p + ": expected zstd frame 1 at byte 0 to decode, found corrupt data (Dictionary "
                "mismatch)");
}
