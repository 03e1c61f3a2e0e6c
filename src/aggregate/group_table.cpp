#include "aggregate/group_table.h"

#include <algorithm>

namespace snapdelta {

std::vector<Group> GroupTable::sorted_groups() const {
  std::vector<Group> out;
  out.reserve(map_.size());
  for (const auto& [k, totals] : map_) {
    out.push_back(Group{static_cast<int32_t>(static_cast<uint32_t>(k >> 32)),
                        &skus_.name(static_cast<uint32_t>(k & 0xffffffffu)), totals});
  }
  std::sort(out.begin(), out.end(), [](const Group& a, const Group& b) {
    if (a.date != b.date) return a.date < b.date;
    return *a.sku < *b.sku;
  });
  return out;
}

}  // namespace snapdelta
