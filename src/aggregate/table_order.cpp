// TableGroups::sorted(): the groups in key order (table_cells.h's key_less). A string key's ids
// are ranked by text once, so no comparison reads a text, and the ranked keys are packed into
// one number per group when their ranges fit in 64 bits; a dense table whose occupied key values
// multiply to few cells beside its groups is walked in order, without a sort at all.
#include <algorithm>
#include <bit>
#include <climits>
#include <cstdint>
#include <numeric>

#include "aggregate/table_groups.h"

namespace snapdelta {

namespace {

// ids sorted by their texts (ties impossible: a dictionary's texts are distinct).
void sort_by_text(std::vector<uint32_t>& ids, const SkuDictionary& dictionary) {
  std::sort(ids.begin(), ids.end(),
            [&](uint32_t a, uint32_t b) { return dictionary.name(a) < dictionary.name(b); });
}

// rank[id]: id's place among every id of `dictionary` in text order.
std::vector<uint32_t> text_ranks(const SkuDictionary& dictionary) {
  std::vector<uint32_t> ids(dictionary.size());
  std::iota(ids.begin(), ids.end(), 0u);
  sort_by_text(ids, dictionary);
  std::vector<uint32_t> rank(ids.size());
  for (uint32_t r = 0; r < ids.size(); ++r) rank[ids[r]] = r;
  return rank;
}

}  // namespace

std::vector<uint32_t> TableGroups::sorted() const {
  if (dense_ && groups_ > 0) {
    std::vector<uint32_t> ids = dense_order();
    if (!ids.empty()) return ids;
  }
  return ranked_order();
}

// The offsets (value - base) of dense dimension d that some group holds, in key order: ascending
// for a date, by text for a string.
std::vector<uint32_t> TableGroups::present_offsets(size_t d) const {
  const Dim& dim = dim_[d];
  if (d >= dims_) return {0};
  std::vector<uint8_t> seen(dim.extent, 0);
  for (uint32_t g = 0; g < groups_; ++g)
    seen[static_cast<uint64_t>(key_number(g, d) - dim.base)] = 1;
  std::vector<uint32_t> offsets;
  for (uint32_t o = 0; o < dim.extent; ++o) {
    if (seen[o]) offsets.push_back(o);
  }
  if (key_dictionaries_[d] == nullptr) return offsets;
  // A string's ids are base + offset; its base is never negative (ids start at 0).
  std::vector<uint32_t> ids(offsets.size());
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<uint32_t>(dim.base + offsets[i]);
  sort_by_text(ids, *key_dictionaries_[d]);
  for (size_t i = 0; i < ids.size(); ++i) offsets[i] = static_cast<uint32_t>(ids[i] - dim.base);
  return offsets;
}

std::vector<uint32_t> TableGroups::dense_order() const {
  const std::vector<uint32_t> rows = present_offsets(0), columns = present_offsets(1);
  if (rows.size() * columns.size() > 4 * size_t{groups_} + 1024) return {};
  std::vector<uint32_t> ids;
  ids.reserve(groups_);
  for (const uint32_t r : rows) {
    const uint32_t* line = &dense_index_[r * dim_[1].extent];
    for (const uint32_t c : columns) {
      if (line[c] != 0) ids.push_back(line[c] - 1);
    }
  }
  return ids;
}

std::vector<uint32_t> TableGroups::ranked_order() const {
  const size_t keys = table_->group_by.size();
  std::vector<std::vector<uint32_t>> ranks(keys);
  for (size_t k = 0; k < keys; ++k) {
    if (key_dictionaries_[k] != nullptr) ranks[k] = text_ranks(*key_dictionaries_[k]);
  }
  // Each group's key words with string ids replaced by ranks (null keys keep 0).
  std::vector<int64_t> words(keys_.begin(), keys_.end());
  for (uint32_t g = 0; g < groups_; ++g) {
    for (size_t k = 0; k < keys; ++k) {
      int64_t& w = words[g * stride_ + 1 + k];
      if (!ranks[k].empty() && !key_null(g, k)) w = ranks[k][static_cast<uint32_t>(w)];
    }
  }
  if (std::vector<uint32_t> ids = packed_order(words); !ids.empty() || groups_ == 0) return ids;
  std::vector<uint32_t> ids(groups_);
  std::iota(ids.begin(), ids.end(), 0u);
  std::sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) {
    const int64_t* wa = &words[a * stride_];
    const int64_t* wb = &words[b * stride_];
    for (size_t k = 0; k < keys; ++k) {
      const bool na = (wa[0] >> k) & 1, nb = (wb[0] >> k) & 1;
      if (na != nb) return na;
      if (wa[1 + k] != wb[1 + k]) return wa[1 + k] < wb[1 + k];
    }
    return false;
  });
  return ids;
}

// The groups in key order by one 64-bit number per group, when every key's range fits beside
// the group id: key k takes the bits its (value - min + 1) needs, 0 standing for null (nulls
// first, as key_less), the first key in the highest bits, the id in the lowest. The numbers are
// written over `words` as they are made (number g lands where group g / stride's words were,
// already read), so sorting them reads no key words and touches no fresh memory. Empty, `words`
// untouched, when the ranges and the id need more than 64 bits together.
std::vector<uint32_t> TableGroups::packed_order(std::vector<int64_t>& words) const {
  const size_t keys = table_->group_by.size();
  std::vector<int64_t> low(keys, INT64_MAX), high(keys, INT64_MIN);
  for (uint32_t g = 0; g < groups_; ++g) {
    const int64_t* w = &words[g * stride_];
    for (size_t k = 0; k < keys; ++k) {
      if ((w[0] >> k) & 1) continue;
      low[k] = std::min(low[k], w[1 + k]);
      high[k] = std::max(high[k], w[1 + k]);
    }
  }
  std::vector<unsigned> width(keys, 1);
  const auto id_bits = static_cast<unsigned>(std::bit_width(uint64_t{groups_}));
  unsigned total = id_bits;
  for (size_t k = 0; k < keys; ++k) {
    if (low[k] <= high[k]) {
      const auto span = static_cast<uint64_t>(high[k]) - static_cast<uint64_t>(low[k]);
      if (span >= (uint64_t{1} << 62)) return {};
      width[k] = static_cast<unsigned>(std::bit_width(span + 1));
    }
    total += width[k];
  }
  if (total > 64) return {};
  auto* packed = reinterpret_cast<uint64_t*>(words.data());
  for (uint32_t g = 0; g < groups_; ++g) {
    const int64_t* w = &words[g * stride_];
    uint64_t number = 0;
    for (size_t k = 0; k < keys; ++k) {
      const bool null = (w[0] >> k) & 1;
      const uint64_t v =
          null ? 0 : static_cast<uint64_t>(w[1 + k]) - static_cast<uint64_t>(low[k]) + 1;
      number = (number << width[k]) | v;
    }
    packed[g] = id_bits == 0 ? number : (number << id_bits) | g;
  }
  std::sort(packed, packed + groups_);
  const uint64_t id_mask = id_bits == 0 ? 0 : ~uint64_t{0} >> (64 - id_bits);
  std::vector<uint32_t> ids(groups_);
  for (uint32_t i = 0; i < groups_; ++i) ids[i] = static_cast<uint32_t>(packed[i] & id_mask);
  return ids;
}

}  // namespace snapdelta
