// GroupTable: the (transaction_date, sku) -> (quantity, revenue cents, row count) aggregate.
// Contract: add() sums exactly in int64 and returns false (leaving the group unchanged) if a sum
// would overflow; sorted_groups() lists groups ordered by (date, sku text), the store's key order.
// Storage: while dates x SKUs stays small (the normal daily-drop shape) groups live in a dense
// date-by-SKU array, a few nanoseconds an add; past kDenseLimit cells the table moves, once, to a
// hash map, so memory follows the number of groups whatever the data's shape.
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
  static constexpr size_t kDenseLimit = 1 << 19;  // cells (24 bytes each)

  bool add(int32_t date, uint32_t sku, int64_t quantity, int64_t cents) {
    Totals* t;
    if (dense_mode_) {
      const int64_t row = static_cast<int64_t>(date) - date_base_;
      if (row < 0 || row >= dates_ || sku >= width_) {
        reshape(date, sku);  // grows the array or moves to the map; either way, try again
        return add(date, sku, quantity, cents);
      }
      t = &dense_[static_cast<size_t>(row) * width_ + sku];
    } else {
      t = &map_[key(date, sku)];
    }
    int64_t q, c;
    if (__builtin_add_overflow(t->quantity, quantity, &q) ||
        __builtin_add_overflow(t->cents, cents, &c)) {
      return false;
    }
    if (t->count == 0) ++size_;
    t->quantity = q;
    t->cents = c;
    ++t->count;
    return true;
  }
  size_t size() const { return size_; }
  SkuDictionary& skus() { return skus_; }
  const SkuDictionary& skus() const { return skus_; }
  std::vector<Group> sorted_groups() const;

 private:
  static uint64_t key(int32_t date, uint32_t sku) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(date)) << 32) | sku;
  }
  // Grows the dense array to cover (date, sku), or moves every group to the map.
  void reshape(int32_t date, uint32_t sku);

  bool dense_mode_ = true;
  int64_t date_base_ = 0;
  int64_t dates_ = 0;
  uint32_t width_ = 0;
  std::vector<Totals> dense_;
  absl::flat_hash_map<uint64_t, Totals> map_;
  size_t size_ = 0;
  SkuDictionary skus_;
};

}  // namespace snapdelta
