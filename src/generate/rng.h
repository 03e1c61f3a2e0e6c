// Portable pseudo-random numbers for the data generator: splitmix64 (seeding) and xoshiro256**
// (the stream), with our own integer range mapping.
// Contract: the same seed yields the same sequence on every platform, compiler and standard library
// (no std:: distributions, no floating point). below(n) maps a 64-bit draw to [0, n) by the
// multiply-high method (Lemire); its bias is at most n / 2^64, irrelevant for synthetic data.
#pragma once

#include <cstdint>

namespace snapdelta::generate {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

class Rng {
 public:
  // Seeds the four state words from splitmix64(seed), as the xoshiro authors recommend.
  explicit Rng(uint64_t seed) {
    SplitMix64 sm(seed);
    for (uint64_t& word : s_) word = sm.next();
  }

  // Derives an independent stream for one purpose (`domain`) and one index (e.g. a client).
  static Rng for_stream(uint64_t seed, uint64_t domain, uint64_t index) {
    SplitMix64 sm(seed ^ (domain * 0xD1B54A32D192ED03ULL));
    const uint64_t base = sm.next();
    return Rng(base + index * 0x9E3779B97F4A7C15ULL);
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n); n must be >= 1.
  uint64_t below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace snapdelta::generate
