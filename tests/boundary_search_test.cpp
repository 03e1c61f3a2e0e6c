// Tests for the boundary search's parts: deflate_header_end() (deflate_header.h) must end every
// block header where zlib's inflate (Z_TREES) does, and ISA-L's captures on random streams --
// sizes, levels, memory levels, strategies, flushes that make tiny and empty blocks, resume and
// capture points -- must be exactly zlib's (isal_boundary_search.h), the known exception aside.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "inflate_test_support.h"
#include "source/deflate_header.h"
#include "source/drop.h"
#include "source/isal_inflater.h"
#include "source/member_inflate.h"
#include "test_support.h"

using namespace snapdelta;
using namespace snapdelta::test;

namespace {

// Raw deflate of `text` with a flush of `flush` kind after every `every` bytes (0: none).
std::string deflate_flushed(const std::string& text, int level, int mem_level, int strategy,
                            size_t every, int flush) {
  z_stream s{};
  EXPECT_EQ(deflateInit2(&s, level, Z_DEFLATED, -MAX_WBITS, mem_level, strategy), Z_OK);
  std::string out(deflateBound(&s, text.size()) * 2 + 4096, '\0');
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  size_t at = 0;
  while (at < text.size()) {
    const size_t n = every == 0 ? text.size() - at : std::min(every, text.size() - at);
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data() + at));
    s.avail_in = static_cast<uInt>(n);
    at += n;
    EXPECT_EQ(deflate(&s, at == text.size() ? Z_FINISH : flush),
              at == text.size() ? Z_STREAM_END : Z_OK);
  }
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

// Every block's (start bit, header end bit), as zlib's inflate stops at them (Z_TREES).
std::vector<std::pair<uint64_t, uint64_t>> zlib_headers(const std::string& deflate) {
  z_stream s{};
  EXPECT_EQ(inflateInit2(&s, -MAX_WBITS), Z_OK);
  std::string out(1 << 16, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(deflate.data()));
  s.avail_in = static_cast<uInt>(deflate.size());
  std::vector<std::pair<uint64_t, uint64_t>> headers;
  uint64_t block_start = 0;
  for (int rc = Z_OK; rc != Z_STREAM_END;) {
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    rc = inflate(&s, Z_TREES);
    // Z_BUF_ERROR: a stop that consumed and produced nothing (an empty stored block's header).
    if (rc == Z_BUF_ERROR && s.avail_in > 0) rc = Z_OK;
    EXPECT_TRUE(rc == Z_OK || rc == Z_STREAM_END) << rc;
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    const uint64_t bit = s.total_in * 8 - static_cast<uint64_t>(s.data_type & 7);
    if (s.data_type & 128) {
      block_start = bit;  // at a block boundary, before its header
    } else if (s.data_type & 256) {
      headers.emplace_back(block_start, bit);  // after a header (Z_TREES)
    }
  }
  inflateEnd(&s);
  return headers;
}

}  // namespace

// deflate_header.h: every header of stored, fixed and dynamic blocks ends where zlib ends it.
TEST(DeflateHeader, EndsEveryHeaderWhereZlibDoes) {
  size_t checked = 0;
  uint64_t seed = 40;
  for (int level : {0, 1, 6, 9}) {
    for (int strategy : {Z_DEFAULT_STRATEGY, Z_FIXED, Z_HUFFMAN_ONLY}) {
      const std::string text = ++seed % 2 ? csv_text(300'000, seed) : random_bytes(200'000, seed);
      const std::string deflate =
          deflate_flushed(text, level, 1 + seed % 9, strategy, 70'000, Z_SYNC_FLUSH);
      const auto* bytes = reinterpret_cast<const uint8_t*>(deflate.data());
      for (const auto& [start, end] : zlib_headers(deflate)) {
        const size_t first = start / 8;
        const size_t size = std::min(kMaxDeflateHeaderBytes, deflate.size() - first);
        const std::optional<uint64_t> got = deflate_header_end(bytes + first, size, start);
        ASSERT_TRUE(got.has_value()) << "level " << level << " header at bit " << start;
        ASSERT_EQ(*got, end) << "level " << level << " header at bit " << start;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 100u);
  // Truncated or invalid: nullopt, never a read past the end.
  const uint8_t reserved[] = {0x07};  // BTYPE 3
  EXPECT_FALSE(deflate_header_end(reserved, 1, 0).has_value());
  const uint8_t stored_cut[] = {0x00, 0x05, 0x00};  // LEN without NLEN
  EXPECT_FALSE(deflate_header_end(stored_cut, 3, 0).has_value());
  const uint8_t bad_nlen[] = {0x00, 0x05, 0x00, 0x00, 0x00};
  EXPECT_FALSE(deflate_header_end(bad_nlen, 5, 0).has_value());
}

// Every capture is one of zlib's boundaries, exactly as zlib captures it.
void expect_real_boundaries(const std::vector<Checkpoint>& isal,
                            const std::vector<Checkpoint>& zlib) {
  for (const Checkpoint& c : isal) {
    const auto same = std::find_if(zlib.begin(), zlib.end(), [&](const Checkpoint& z) {
      return z.in_byte == c.in_byte && z.bits == c.bits;
    });
    ASSERT_NE(same, zlib.end()) << "ISA-L captured byte " << c.in_byte << " bit " << c.bits
                                << ", not a block boundary";
    EXPECT_EQ(c.out_offset, same->out_offset);
    EXPECT_EQ(c.tail_hash, same->tail_hash);
    EXPECT_TRUE(c.window == same->window);
  }
}

// isal_boundary_search.h: on random streams ISA-L captures exactly zlib's boundaries from any
// capture point, from the stream's start and resumed from a checkpoint, with the one exception
// expect_same_captures() allows (a fixed-table block whose header shares a byte with the end of
// the block before it). Where blocks may hide -- streams flushed into small and empty blocks
// (Z_SYNC_FLUSH and the like, which zip writers do not make), and Huffman-only or RLE streams,
// whose successive blocks can have the very same code tables -- every capture must still be a
// real boundary, most must be found, and the output must be exact.
TEST(BoundarySearch, CapturesZlibsBoundariesOnRandomStreams) {
  TempDir dir("search");
  std::mt19937_64 rng(2024);
  size_t compared = 0, hidden_found = 0, hidden_there = 0;
  for (int round = 0; round < 20; ++round) {
    const size_t size = 20'000 + rng() % 400'000;
    const std::string text = rng() % 4 == 0 ? random_bytes(size, rng()) : csv_text(size, rng());
    const int level = static_cast<int>(rng() % 10);
    const int mem_level = 1 + static_cast<int>(rng() % 9);
    const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE};
    const int strategy = strategies[rng() % 4];
    const int flushes[] = {Z_SYNC_FLUSH, Z_FULL_FLUSH, Z_PARTIAL_FLUSH, Z_BLOCK};
    const bool flushed = round % 4 == 3;
    const int flush = flushed ? flushes[rng() % 4] : Z_NO_FLUSH;
    const size_t every = flushed ? 50 + rng() % 20'000 : 0;
    SCOPED_TRACE("round " + std::to_string(round) + " size " + std::to_string(size) + " level " +
                 std::to_string(level) + " memLevel " + std::to_string(mem_level) + " strategy " +
                 std::to_string(strategy) + " flush " + std::to_string(flush) + " every " +
                 std::to_string(every));
    const std::string deflate = deflate_flushed(text, level, mem_level, strategy, every, flush);
    const std::string zip = dir / ("r" + std::to_string(round) + ".zip");
    write_zip_raw(zip, deflate, text.size(), crc_of(text));
    const Inflated all = inflate_all(zip, 0, 1'000'000);
    ASSERT_TRUE(all.out == text);
    const Drop drop(zip);
    for (int i = 0; i < 6; ++i) {
      const Checkpoint* resume = i % 2 && !all.checkpoints.empty()
                                     ? &all.checkpoints[rng() % all.checkpoints.size()]
                                     : nullptr;
      const uint64_t lowest = resume ? resume->in_byte : 0;
      const uint64_t from = lowest + rng() % (deflate.size() - lowest + 1);
      SCOPED_TRACE("resume at " + std::to_string(lowest) + " capture from " + std::to_string(from));
      StringSink sink;
      std::vector<Checkpoint> captured;
      InflateOptions o;
      o.resume = resume;
      o.captured = &captured;
      o.capture_from = from;
      o.keep = 1'000'000;
      const IsalResult r = isal_inflate_member(drop, o, sink);
      ASSERT_TRUE(sink.out == text.substr(resume ? resume->out_offset : 0, sink.out.size()));
      expect_real_boundaries(captured, all.checkpoints);
      if (r.handoff) {
        ASSERT_TRUE(flushed) << "handed over on a stream of dynamic blocks";
        continue;  // a run of fixed-table blocks (flushed small pieces): zlib takes over
      }
      ASSERT_EQ(sink.out.size(), text.size() - (resume ? resume->out_offset : 0));
      std::vector<Checkpoint> expected;
      for (const Checkpoint& z : all.checkpoints) {
        if (z.in_byte >= std::max(from, lowest)) expected.push_back(z);
      }
      if (flushed || strategy == Z_HUFFMAN_ONLY || strategy == Z_RLE) {
        hidden_found += captured.size();
        hidden_there += expected.size();
      } else {
        expect_same_captures(captured, expected, deflate);
        compared += expected.size();
      }
    }
  }
  EXPECT_GT(compared, 500u);
  EXPECT_GT(hidden_found, hidden_there / 2) << "most boundaries that may hide are found";
}
