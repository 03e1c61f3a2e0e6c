// Helpers shared by the inflate tests (zlib_resume, checkpoint_match, isal_inflate, inflater
// errors, zip_entry): a sink that keeps what it is given, CSV-like and random texts, and whole or
// resumed inflates of a member through inflate_drop_member() with every checkpoint kept.
#pragma once

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

}  // namespace snapdelta::test
