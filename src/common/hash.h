// Content hashing for the state's self-proof: XXH3-64 over byte ranges, in one shot or streamed.
// Contract: Hasher fed any split of the same bytes yields the same digest as hash64 of the whole.
#pragma once

#include <xxhash.h>

#include <cstdint>
#include <string_view>

namespace snapdelta {

inline uint64_t hash64(const void* data, size_t size) { return XXH3_64bits(data, size); }

class Hasher {
 public:
  Hasher() : state_(XXH3_createState()) { XXH3_64bits_reset(state_); }
  ~Hasher() { XXH3_freeState(state_); }
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  void reset() { XXH3_64bits_reset(state_); }
  void update(const void* data, size_t size) { XXH3_64bits_update(state_, data, size); }
  void update(std::string_view s) { update(s.data(), s.size()); }
  uint64_t digest() const { return XXH3_64bits_digest(state_); }

 private:
  XXH3_state_t* state_;
};

}  // namespace snapdelta
