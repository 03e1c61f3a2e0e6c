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
    const uint64_t row = static_cast<uint64_t>(static_cast<int64_t>(date) - date_base_);
    if (row >= static_cast<uint64_t>(dates_) || sku >= width_) [[unlikely]] {
      return add_outside(date, sku, quantity, cents);
    }
    return add_to(dense_[row * width_ + sku], quantity, cents);
  }
  size_t size() const { return size_; }
  SkuDictionary& skus() { return skus_; }
  const SkuDictionary& skus() const { return skus_; }
  std::vector<Group> sorted_groups() const;

 private:
  static uint64_t key(int32_t date, uint32_t sku) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(date)) << 32) | sku;
  }
  bool add_to(Totals& t, int64_t quantity, int64_t cents) {
    int64_t q, c;
    const bool q_overflows = __builtin_add_overflow(t.quantity, quantity, &q);
    const bool c_overflows = __builtin_add_overflow(t.cents, cents, &c);
    if (q_overflows | c_overflows) [[unlikely]] {  // one branch for both
      return false;
    }
    size_ += t.count == 0;
    t.quantity = q;
    t.cents = c;
    ++t.count;
    return true;
  }
  // add() for a cell the dense array does not cover (it grows, or moves to the map), or in map
  // mode.
  bool add_outside(int32_t date, uint32_t sku, int64_t quantity, int64_t cents);
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
