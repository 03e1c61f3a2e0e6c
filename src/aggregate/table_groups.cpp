#include "aggregate/table_groups.h"

#include <algorithm>
#include <utility>

#include "aggregate/cell_text.h"

namespace snapdelta {

namespace {

bool small_code(ColumnKind kind) { return kind == ColumnKind::date || kind == ColumnKind::string; }

uint64_t mix(uint64_t h, uint64_t v) {
  const unsigned __int128 m = static_cast<unsigned __int128>(h ^ v) * 0x9E3779B97F4A7C15ull;
  return static_cast<uint64_t>(m) ^ static_cast<uint64_t>(m >> 64);
}

}  // namespace

TableGroups::TableGroups(const Job& job, const Table& table,
                         const std::vector<std::unique_ptr<SkuDictionary>>& dictionaries)
    : job_(&job),
      table_(&table),
      program_(table.measures),
      no_nulls_(job.columns.size(), 0),
      stride_(1 + table.group_by.size()) {
  for (uint32_t c : table.group_by) key_dictionaries_.push_back(dictionaries[c].get());
  reads_ = table.group_by;
  for (const Measure& m : table.measures) {
    if (m.column != kNoColumn) reads_.push_back(m.column);
  }
  std::sort(reads_.begin(), reads_.end());
  reads_.erase(std::unique(reads_.begin(), reads_.end()), reads_.end());
  for (const size_t load : {size_t{4}, size_t{8}}) {
    if (job.columns.size() < load || (!reads_.empty() && reads_.back() >= load)) continue;
    null_load_ = load;
    for (const uint32_t c : reads_) null_mask_ |= uint64_t{0xFF} << (8 * c);  // little-endian
    break;
  }
  scratch_.resize(stride_);
  const size_t keys = table.group_by.size();
  dense_ = keys >= 1 && keys <= 2 &&
           std::all_of(table.group_by.begin(), table.group_by.end(),
                       [&](uint32_t c) { return small_code(job.columns[c].type.kind); });
  if (dense_) {
    dims_ = keys;
    for (size_t d = 0; d < keys; ++d) {
      const uint32_t c = table.group_by[d];
      dim_[d] = Dim{c, 0, 0, job.columns[c].type.kind == ColumnKind::string};
    }
    if (keys == 1) dim_[1] = Dim{0, 0, 1};
  } else {
    rehash(1024);
  }
}

void TableGroups::key_words(const int64_t* values, const uint8_t* nulls, int64_t* out) const {
  uint64_t bits = 0;
  for (size_t k = 0; k < table_->group_by.size(); ++k) {
    const uint32_t c = table_->group_by[k];
    const bool null = nulls[c] != 0;
    bits |= static_cast<uint64_t>(null) << k;
    out[1 + k] = null ? 0 : values[c];
  }
  out[0] = static_cast<int64_t>(bits);
}

uint32_t TableGroups::new_group(const int64_t* values, const uint8_t* nulls) {
  key_words(values, nulls, keys_.extend(stride_));
  records_.extend(program_.width());
  misses_.extend(program_.misses());
  program_.init(record(groups_), misses(groups_));
  return groups_++;
}

uint32_t TableGroups::outside(const int64_t* values, const uint8_t* nulls) {
  const bool null = nulls[dim_[0].column] || (dims_ == 2 && nulls[dim_[1].column]);
  if (null || !reshape(values)) {
    leave_dense();
    return hashed(values, nulls);
  }
  const uint64_t r0 = static_cast<uint64_t>(values[dim_[0].column] - dim_[0].base);
  const uint64_t r1 = dims_ == 2 ? static_cast<uint64_t>(values[dim_[1].column] - dim_[1].base) : 0;
  uint32_t& cell = dense_index_[r0 * dim_[1].extent + r1];
  if (cell == 0) cell = new_group(values, nulls) + 1;
  return cell - 1;
}

// Widens the dense index to cover the row's key, leaving room on the side that grew so a slowly
// widening range stays amortized (string ids, dense from 0: at least 64, doubling; dates: the
// day itself first, then half the span again), as few cells as the keys need, since every cell
// is zeroed and touched; false when the index would pass kDenseLimit cells.
bool TableGroups::reshape(const int64_t* values) {
  Dim next[2] = {dim_[0], dim_[1]};
  for (size_t d = 0; d < dims_; ++d) {
    const int64_t v = values[dim_[d].column];
    const Dim& old = dim_[d];
    if (old.ids && v >= 0) {
      next[d].base = 0;
      next[d].extent = std::max<uint64_t>({64, old.extent * 2, static_cast<uint64_t>(v) + 1});
      if (next[d].extent > kDenseLimit) return false;
      continue;
    }
    int64_t lo = old.extent == 0 ? v : std::min<int64_t>(old.base, v);
    int64_t hi = old.extent == 0 ? v : std::max<int64_t>(old.base + int64_t(old.extent) - 1, v);
    const int64_t span = hi - lo + 1;
    if (old.extent != 0 && v < old.base) lo -= span / 2;
    if (old.extent != 0 && v >= old.base + int64_t(old.extent)) hi += span / 2;
    next[d].base = lo;
    next[d].extent = static_cast<uint64_t>(hi - lo + 1);
    if (next[d].extent > kDenseLimit) return false;
  }
  if (next[0].extent * next[1].extent > kDenseLimit) return false;
  ZeroedArray<uint32_t> index(next[0].extent * next[1].extent);
  for (uint32_t g = 0; g < groups_; ++g) {
    const int64_t* k = &keys_[g * stride_ + 1];
    const uint64_t r0 = static_cast<uint64_t>(k[0] - next[0].base);
    const uint64_t r1 = dims_ == 2 ? static_cast<uint64_t>(k[1] - next[1].base) : 0;
    index[r0 * next[1].extent + r1] = g + 1;
  }
  dense_index_ = std::move(index);
  dim_[0] = next[0];
  dim_[1] = next[1];
  return true;
}

void TableGroups::leave_dense() {
  dense_ = false;
  dense_index_ = ZeroedArray<uint32_t>();
  size_t capacity = 1024;
  while (capacity < size_t{groups_} * 2) capacity *= 2;
  rehash(capacity);
}

uint64_t TableGroups::hash_words(const int64_t* words) const {
  uint64_t h = 0x243F6A8885A308D3ull;
  for (size_t i = 0; i < stride_; ++i) h = mix(h, static_cast<uint64_t>(words[i]));
  return h;
}

bool TableGroups::same_key(uint32_t g, const int64_t* words) const {
  const int64_t* k = &keys_[g * stride_];
  for (size_t i = 0; i < stride_; ++i) {
    if (k[i] != words[i]) return false;
  }
  return true;
}

void TableGroups::rehash(size_t capacity) {
  hash_index_.assign(capacity, 0);
  const size_t mask = capacity - 1;
  for (uint32_t g = 0; g < groups_; ++g) {
    const uint64_t h = hash_words(&keys_[g * stride_]);
    size_t i = h & mask;
    while (hash_index_[i] != 0) i = (i + 1) & mask;
    hash_index_[i] = (h & 0xFFFFFFFF00000000ull) | (g + 1);
  }
}

uint32_t TableGroups::hashed(const int64_t* values, const uint8_t* nulls) {
  int64_t* key = scratch_.data();
  key_words(values, nulls, key);
  const uint64_t h = hash_words(key);
  const uint64_t tag = h & 0xFFFFFFFF00000000ull;
  const size_t mask = hash_index_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const uint64_t cell = hash_index_[i];
    if (cell == 0) {
      const uint32_t g = new_group(values, nulls);
      hash_index_[i] = tag | (g + 1);
      if (size_t{groups_} * 2 > hash_index_.size()) rehash(hash_index_.size() * 2);
      return g;
    }
    const auto g = static_cast<uint32_t>(cell) - 1;
    if ((cell & 0xFFFFFFFF00000000ull) == tag && same_key(g, key)) return g;
  }
}

bool TableGroups::add_nullable(const int64_t* values, const uint8_t* nulls) {
  uint32_t g;
  const bool null_key = nulls[dim_[0].column] | (dims_ == 2 && nulls[dim_[1].column]);
  if (dense_ && !null_key) {
    const uint64_t r0 = static_cast<uint64_t>(values[dim_[0].column] - dim_[0].base);
    const uint64_t r1 =
        dims_ == 2 ? static_cast<uint64_t>(values[dim_[1].column] - dim_[1].base) : 0;
    if (r0 < dim_[0].extent && r1 < dim_[1].extent) {
      uint32_t& cell = dense_index_[r0 * dim_[1].extent + r1];
      if (cell == 0) cell = new_group(values, nulls) + 1;
      g = cell - 1;
    } else {
      g = outside(values, nulls);
    }
  } else if (dense_) {
    g = outside(values, nulls);
  } else {
    g = hashed(values, nulls);
  }
  if (!program_.add(record(g), misses(g), values, nulls)) return refuse(g, values, nulls);
  return true;
}

bool TableGroups::refuse(uint32_t g, const int64_t* values, const uint8_t* nulls) {
  overflow_ = fmt_overflow(g, program_.overflowing(record(g), values, nulls));
  return false;
}

std::string_view TableGroups::key_text(uint32_t g, size_t k) const {
  return key_dictionaries_[k]->name(static_cast<uint32_t>(key_number(g, k)));
}

TableRow TableGroups::row(uint32_t g) const {
  TableRow row;
  row.reserve(table_->group_by.size() + table_->measures.size());
  for (size_t k = 0; k < table_->group_by.size(); ++k) {
    Cell cell;
    cell.null = key_null(g, k);
    if (!cell.null && job_->columns[table_->group_by[k]].type.kind == ColumnKind::string) {
      cell.text = std::string(key_text(g, k));
    } else if (!cell.null) {
      cell.number = key_number(g, k);
    }
    row.push_back(std::move(cell));
  }
  for (size_t m = 0; m < table_->measures.size(); ++m) {
    Cell cell;
    cell.null = measure_null(g, m);
    if (!cell.null) cell.number = measure(g, m);
    row.push_back(std::move(cell));
  }
  return row;
}

std::string TableGroups::describe_overflow() const { return overflow_; }

std::string TableGroups::fmt_overflow(uint32_t g, size_t m) const {
  const TableRow cells = row(g);
  std::string keys;
  for (size_t k = 0; k < table_->group_by.size(); ++k) {
    keys += (k ? ", " : "") + cell_text(cells[k], job_->columns[table_->group_by[k]].type);
  }
  return "table " + table_->name + ", group (" + keys + "), measure " + table_->measures[m].name;
}

}  // namespace snapdelta
