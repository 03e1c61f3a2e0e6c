// SkuDictionary: interns SKU id strings to dense 32-bit ids so groups key on integers.
// Contract: intern() returns the same id for the same bytes within one dictionary, ids are
// 0,1,2,... in first-seen order, and name(id) returns the exact original bytes. Ids of up to 16
// bytes (the common case) are found with two 8-byte compares in an open-addressing table; longer
// ids go through a general hash map.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/strings/string_view.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace snapdelta {

class SkuDictionary {
 public:
  SkuDictionary() : slots_(kInitialSlots) {}

  uint32_t intern(std::string_view sku) {
    if (sku.size() > 16) return intern_long(sku);
    uint64_t a, b;
    pack(sku, a, b);
    const uint32_t len = static_cast<uint32_t>(sku.size());
    size_t mask = slots_.size() - 1;
    for (size_t i = hash(a, b, len) & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.id == kEmpty) {
        const auto id = static_cast<uint32_t>(names_.size());
        names_.emplace_back(sku);
        s = Slot{a, b, len, id};
        if (++short_count_ * 2 > slots_.size()) grow();
        return id;
      }
      if (s.a == a && s.b == b && s.len == len) return s.id;
    }
  }
  const std::string& name(uint32_t id) const { return names_[id]; }
  size_t size() const { return names_.size(); }

 private:
  static constexpr uint32_t kEmpty = 0xffffffffu;
  static constexpr size_t kInitialSlots = 1024;
  struct Slot {
    uint64_t a = 0, b = 0;
    uint32_t len = 0;
    uint32_t id = kEmpty;
  };

  // The bytes, zero-padded to 16, as two little-endian words (exact for any bytes, NULs included,
  // because the length is compared too).
  static void pack(std::string_view s, uint64_t& a, uint64_t& b) {
    const char* p = s.data();
    const size_t n = s.size();
    a = 0;
    b = 0;
    if (n >= 8) {
      std::memcpy(&a, p, 8);
      if (n > 8) {
        std::memcpy(&b, p + n - 8, 8);
        b >>= 8 * (16 - n);
      }
    } else {
      std::memcpy(&a, p, n);
    }
  }
  // Every input bit reaches the low bits the table indexes with (a plain multiply would leave the
  // low bits blind to the high bytes, where ids like SKU_01234 differ).
  static size_t hash(uint64_t a, uint64_t b, uint32_t len) {
    uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + len) * 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ull;
    h ^= h >> 32;
    return static_cast<size_t>(h);
  }
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    const size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.id == kEmpty) continue;
      size_t i = hash(s.a, s.b, s.len) & mask;
      while (slots_[i].id != kEmpty) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  uint32_t intern_long(std::string_view sku) {
    auto it = long_ids_.find(absl::string_view(sku.data(), sku.size()));
    if (it != long_ids_.end()) return it->second;
    const auto id = static_cast<uint32_t>(names_.size());
    names_.emplace_back(sku);
    long_ids_.emplace(names_.back(), id);
    return id;
  }

  std::vector<Slot> slots_;
  size_t short_count_ = 0;
  absl::flat_hash_map<std::string, uint32_t> long_ids_;
  std::vector<std::string> names_;
};

}  // namespace snapdelta
