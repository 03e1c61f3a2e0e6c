// Helpers shared by the inflate tests (zlib_resume, checkpoint_match, isal_inflate, boundary
// search, inflater errors, zip_entry): a sink that keeps what it is given, CSV-like and random
// texts, whole or resumed inflates of a member through inflate_drop_member() with every
// checkpoint kept, and the check that ISA-L's captures are zlib's.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "source/byte_sink.h"
#include "source/checkpoint.h"
#include "source/drop.h"
#include "source/inflate_options.h"
#include "source/member_inflate.h"

namespace snapdelta::test {

class StringSink : public ByteSink {
 public:
  void write(const uint8_t* data, size_t size) override {
    out.append(reinterpret_cast<const char*>(data), size);
    ++writes;
  }
  std::string out;
  size_t writes = 0;
};

// CSV-like text: compressible, with a little randomness.
inline std::string csv_text(size_t bytes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s = "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";
  for (uint64_t id = 1; s.size() < bytes; ++id) {
    s += "TXN_" + std::to_string(id) + ",2025-10-0" + std::to_string(1 + rng() % 9) + ",SKU_" +
         std::to_string(rng() % 500) + "," + std::to_string(1 + rng() % 10) + "," +
         std::to_string(5 + rng() % 500) + "." + std::to_string(10 + rng() % 90) + "\n";
  }
  s.resize(bytes);
  return s;
}

inline std::string random_bytes(size_t bytes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s(bytes, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

struct Inflated {
  std::string out;
  uint64_t total = 0;
  std::vector<Checkpoint> checkpoints;
};

inline Inflated inflate_all(const std::string& zip, uint64_t capture_from = 0, size_t keep = 1000) {
  const Drop drop(zip);
  Inflated r;
  StringSink sink;
  InflateOptions o;
  o.captured = &r.checkpoints;
  o.capture_from = capture_from;
  o.keep = keep;
  r.total = inflate_drop_member(drop, o, sink);
  r.out = std::move(sink.out);
  return r;
}

inline std::string resume_from(const std::string& zip, const Checkpoint& cp,
                               uint64_t* total = nullptr,
                               std::vector<Checkpoint>* captured = nullptr) {
  const Drop drop(zip);
  StringSink sink;
  InflateOptions o;
  o.resume = &cp;
  o.captured = captured;
  o.capture_from = 0;
  o.keep = 1000;
  const uint64_t t = inflate_drop_member(drop, o, sink);
  if (total) *total = t;
  return sink.out;
}

// BTYPE of the block that starts at checkpoint `cp` of raw deflate data (1 = fixed tables).
inline int block_type_at(const std::string& deflate, const Checkpoint& cp) {
  const uint64_t bitpos = cp.in_byte * 8 - static_cast<uint64_t>(cp.bits);
  auto bit = [&](uint64_t b) { return (static_cast<uint8_t>(deflate[b / 8]) >> (b % 8)) & 1; };
  return bit(bitpos + 1) | (bit(bitpos + 2) << 1);
}

// ISA-L's captures must be zlib's `expected` ones, exactly, except that a boundary whose next
// block has fixed tables may be missing: when that block's 3-bit header shares a byte with the end
// of the previous block, ISA-L's state never shows the decoder between the two.
inline void expect_same_captures(const std::vector<Checkpoint>& isal,
                                 const std::vector<Checkpoint>& expected,
                                 const std::string& deflate) {
  std::string a, b;
  for (const Checkpoint& c : isal)
    a += " " + std::to_string(c.in_byte) + "." + std::to_string(c.bits);
  for (const Checkpoint& c : expected)
    b += " " + std::to_string(c.in_byte) + "." + std::to_string(c.bits);
  SCOPED_TRACE("ISA-L:" + a + "\nzlib:" + b);
  size_t i = 0;
  for (const Checkpoint& z : expected) {
    if (i < isal.size() && isal[i].in_byte == z.in_byte && isal[i].bits == z.bits) {
      EXPECT_EQ(isal[i].low_bits, z.low_bits);
      EXPECT_EQ(isal[i].out_offset, z.out_offset);
      EXPECT_EQ(isal[i].tail_hash, z.tail_hash);
      EXPECT_TRUE(isal[i].window == z.window);
      ++i;
      continue;
    }
    EXPECT_EQ(block_type_at(deflate, z), 1)
        << "ISA-L skipped the boundary at byte " << z.in_byte << " bit " << z.bits
        << (i < isal.size() ? " and has byte " + std::to_string(isal[i].in_byte) + " bit " +
                                  std::to_string(isal[i].bits) + " next"
                            : std::string(" and nothing next"));
  }
  EXPECT_EQ(i, isal.size()) << "ISA-L captured a boundary zlib does not report";
}

}  // namespace snapdelta::test
