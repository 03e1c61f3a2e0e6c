// GroupTable: the (transaction_date, sku) -> (quantity, revenue cents, row count) aggregate.
// Contract: add() sums exactly in int64 and returns false (leaving the group unchanged) if a sum
// would overflow; sorted_groups() lists groups ordered by (date, sku text), the store's key order.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <string>
#include <vector>

#include "aggregate/sku_dictionary.h"

namespace snapdelta {

struct Totals {
  int64_t quantity = 0;
  int64_t cents = 0;
  int64_t count = 0;
};

struct Group {
  int32_t date = 0;  // days since 1970-01-01
  const std::string* sku = nullptr;
  Totals totals;
};

class GroupTable {
 public:
  bool add(int32_t date, uint32_t sku, int64_t quantity, int64_t cents) {
    Totals& t = map_[key(date, sku)];
    int64_t q, c;
    if (__builtin_add_overflow(t.quantity, quantity, &q) ||
        __builtin_add_overflow(t.cents, cents, &c)) {
      return false;
    }
    t.quantity = q;
    t.cents = c;
    ++t.count;
    return true;
  }
  size_t size() const { return map_.size(); }
  SkuDictionary& skus() { return skus_; }
  const SkuDictionary& skus() const { return skus_; }
  std::vector<Group> sorted_groups() const;

 private:
  static uint64_t key(int32_t date, uint32_t sku) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(date)) << 32) | sku;
  }
  absl::flat_hash_map<uint64_t, Totals> map_;
  SkuDictionary skus_;
};

}  // namespace snapdelta
