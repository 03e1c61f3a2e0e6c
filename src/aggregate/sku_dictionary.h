// SkuDictionary: interns SKU id strings to dense 32-bit ids so groups key on integers.
// Contract: intern() returns the same id for the same bytes within one dictionary, ids are
// 0,1,2,... in first-seen order, and name(id) returns the exact original bytes.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/strings/string_view.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace snapdelta {

class SkuDictionary {
 public:
  uint32_t intern(std::string_view sku) {
    auto it = ids_.find(absl::string_view(sku.data(), sku.size()));
    if (it != ids_.end()) return it->second;
    const auto id = static_cast<uint32_t>(names_.size());
    names_.emplace_back(sku);
    ids_.emplace(names_.back(), id);
    return id;
  }
  const std::string& name(uint32_t id) const { return names_[id]; }
  size_t size() const { return names_.size(); }

 private:
  absl::flat_hash_map<std::string, uint32_t> ids_;
  std::vector<std::string> names_;
};

}  // namespace snapdelta
