// SkuDictionary: interns SKU id strings to dense 32-bit ids so groups key on integers.
// Contract: intern() returns the same id for the same bytes within one dictionary, ids are
// 0,1,2,... in first-seen order, and name(id) returns the exact original bytes. intern_padded() is
// the same for a caller that can read 16 bytes from the id's start (the parser, mid-buffer). Ids
// of up to 16 bytes (the common case) are found by their zero-padded bytes and length, two 8-byte
// words, in an open-addressing table (lookup inline, insertion out of line); longer ids go through
// a general hash map.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/strings/string_view.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
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
    return find(a, b, static_cast<uint32_t>(sku.size()), sku);
  }
  // intern() for an id followed by at least 16 - size readable bytes (whatever they hold): its
  // 16 bytes are loaded whole and masked, without a branch on the length.
  uint32_t intern_padded(std::string_view sku) {
    const size_t n = sku.size();
    if (n > 16) return intern_long(sku);
    uint64_t a, b;
    std::memcpy(&a, sku.data(), 8);
    std::memcpy(&b, sku.data() + 8, 8);
    a &= kMasks[n][0];
    b &= kMasks[n][1];
    return find(a, b, static_cast<uint32_t>(n), sku);
  }
  const std::string& name(uint32_t id) const { return names_[id]; }
  size_t size() const { return names_.size(); }

 private:
  static constexpr uint32_t kEmpty = 0xffffffffu;
  static constexpr size_t kInitialSlots = 1024;
  struct Slot {
    uint64_t a = 0, b = 0;
    uint32_t len = kEmpty;  // no id has this length, so an empty slot matches no key
    uint32_t id = kEmpty;
  };
  // kMasks[n]: the first n of 16 bytes.
  static constexpr auto kMasks = [] {
    std::array<std::array<uint64_t, 2>, 17> m{};
    for (size_t n = 0; n <= 16; ++n) {
      m[n][0] = n >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1;
      m[n][1] = n >= 16 ? ~uint64_t{0} : n <= 8 ? 0 : (uint64_t{1} << (8 * (n - 8))) - 1;
    }
    return m;
  }();

  uint32_t find(uint64_t a, uint64_t b, uint32_t len, std::string_view sku) {
    const Slot* slots = slots_.data();
    for (size_t i = hash(a, b) & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots[i];
      if (s.a == a && s.b == b && s.len == len) return s.id;
      if (s.id == kEmpty) return insert(i, a, b, len, sku);
    }
  }
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
  // Every input bit reaches the low bits the table indexes with: the folded 128-bit product.
  static size_t hash(uint64_t a, uint64_t b) {
    const unsigned __int128 m =
        static_cast<unsigned __int128>(a ^ 0x9E3779B97F4A7C15ull) * (b ^ 0xC2B2AE3D27D4EB4Full);
    return static_cast<size_t>(static_cast<uint64_t>(m) ^ static_cast<uint64_t>(m >> 64));
  }
  [[gnu::noinline]] uint32_t insert(size_t i, uint64_t a, uint64_t b, uint32_t len,
                                    std::string_view sku) {
    const auto id = static_cast<uint32_t>(names_.size());
    names_.emplace_back(sku);
    slots_[i] = Slot{a, b, len, id};
    if (++short_count_ * 2 > mask_ + 1) grow();
    return id;
  }
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.id == kEmpty) continue;
      size_t i = hash(s.a, s.b) & mask_;
      while (slots_[i].id != kEmpty) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  [[gnu::noinline]] uint32_t intern_long(std::string_view sku) {
    auto it = long_ids_.find(absl::string_view(sku.data(), sku.size()));
    if (it != long_ids_.end()) return it->second;
    const auto id = static_cast<uint32_t>(names_.size());
    names_.emplace_back(sku);
    long_ids_.emplace(names_.back(), id);
    return id;
  }

  std::vector<Slot> slots_;
  size_t mask_ = kInitialSlots - 1;  // slots_.size() - 1
  size_t short_count_ = 0;
  absl::flat_hash_map<std::string, uint32_t> long_ids_;
  std::deque<std::string> names_;  // grows without moving (or page-faulting) the old names
};

}  // namespace snapdelta
