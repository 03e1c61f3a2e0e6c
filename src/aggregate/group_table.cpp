#include "aggregate/group_table.h"

#include <algorithm>

namespace snapdelta {

bool GroupTable::add_outside(int32_t date, uint32_t sku, int64_t quantity, int64_t cents) {
  if (dense_mode_) {
    reshape(date, sku);  // grows the array to cover the cell, or moves to the map: try again
    return add(date, sku, quantity, cents);
  }
  return add_to(map_[key(date, sku)], quantity, cents);
}

void GroupTable::reshape(int32_t date, uint32_t sku) {
  int64_t lo = dates_ == 0 ? date : std::min<int64_t>(date_base_, date);
  int64_t hi = dates_ == 0 ? date : std::max<int64_t>(date_base_ + dates_ - 1, date);
  // Leave room to grow on the side that grew, so a slowly widening range stays amortized.
  if (dates_ != 0 && date < date_base_) lo -= (hi - lo + 1) / 2;
  if (dates_ != 0 && date >= date_base_ + dates_) hi += (hi - lo + 1) / 2;
  const uint32_t width =
      std::max<uint32_t>(width_, sku >= width_ ? std::max<uint32_t>(sku + 1, width_ * 2) : width_);
  const uint64_t cells = static_cast<uint64_t>(hi - lo + 1) * std::max<uint32_t>(width, 64);
  if (cells > kDenseLimit) {
    for (int64_t r = 0; r < dates_; ++r) {
      for (uint32_t s = 0; s < width_; ++s) {
        const Totals& t = dense_[static_cast<size_t>(r) * width_ + s];
        if (t.count) map_.emplace(key(static_cast<int32_t>(date_base_ + r), s), t);
      }
    }
    dense_ = std::vector<Totals>();
    dense_mode_ = false;
    dates_ = 0;  // add() then finds no dense cell and always takes add_outside()
    width_ = 0;
    return;
  }
  const uint32_t new_width = std::max<uint32_t>(width, 64);
  std::vector<Totals> next(static_cast<size_t>(hi - lo + 1) * new_width);
  for (int64_t r = 0; r < dates_; ++r) {
    for (uint32_t s = 0; s < width_; ++s) {
      next[static_cast<size_t>(date_base_ + r - lo) * new_width + s] =
          dense_[static_cast<size_t>(r) * width_ + s];
    }
  }
  dense_.swap(next);
  date_base_ = lo;
  dates_ = hi - lo + 1;
  width_ = new_width;
}

std::vector<Group> GroupTable::sorted_groups() const {
  std::vector<Group> out;
  out.reserve(size_);
  if (dense_mode_) {
    for (int64_t r = 0; r < dates_; ++r) {
      for (uint32_t s = 0; s < width_; ++s) {
        const Totals& t = dense_[static_cast<size_t>(r) * width_ + s];
        if (t.count) out.push_back(Group{static_cast<int32_t>(date_base_ + r), &skus_.name(s), t});
      }
    }
  } else {
    for (const auto& [k, totals] : map_) {
      out.push_back(Group{static_cast<int32_t>(static_cast<uint32_t>(k >> 32)),
                          &skus_.name(static_cast<uint32_t>(k & 0xffffffffu)), totals});
    }
  }
  std::sort(out.begin(), out.end(), [](const Group& a, const Group& b) {
    if (a.date != b.date) return a.date < b.date;
    return *a.sku < *b.sku;
  });
  return out;
}

}  // namespace snapdelta
