// TableGroups: one job table's groups (job_groups.h fills them and states the measures' rules).
// Contract: group ids are 0..size()-1 in first-seen order; sorted() lists them in key order
// (table_cells.h's key_less on the rows they make). key_number() is a key's date day number, int
// value, decimal units or string id; key_text() a string key's text; a null key has key_null()
// and number 0. measure() is a measure's exact value, meaningful only when !measure_null().
// Storage: a table keyed by one or two dates or strings (the daily-drop shape) finds its group in
// a dense index over the key ranges while that stays small (kDenseLimit cells); any other table,
// or one whose range grew past the limit or that met a null key, hashes its key words.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aggregate/table_cells.h"
#include "job/job.h"

namespace snapdelta {

class JobGroups;

class TableGroups {
 public:
  static constexpr size_t kDenseLimit = size_t{1} << 21;  // index cells (4 bytes each)

  TableGroups(const Job& job, const Table& table, const JobGroups& owner);

  const Table& table() const { return *table_; }
  size_t size() const { return groups_; }
  std::vector<uint32_t> sorted() const;

  bool key_null(uint32_t g, size_t k) const { return (null_bits(g) >> k) & 1u; }
  int64_t key_number(uint32_t g, size_t k) const { return keys_[g * stride_ + 1 + k]; }
  std::string_view key_text(uint32_t g, size_t k) const;
  bool measure_null(uint32_t g, size_t m) const { return ops_[m].nullable && slot(g, m).n == 0; }
  int64_t measure(uint32_t g, size_t m) const { return slot(g, m).value; }
  TableRow row(uint32_t g) const;

  // Adds one row (job_groups.h's form); false, changing nothing, when a sum would overflow.
  bool add(const int64_t* values, const uint8_t* nulls) {
    uint32_t g;
    if (dense_) [[likely]] {
      const uint64_t r0 = static_cast<uint64_t>(values[dim_[0].column] - dim_[0].base);
      const uint64_t r1 =
          dims_ == 2 ? static_cast<uint64_t>(values[dim_[1].column] - dim_[1].base) : 0;
      const bool null = nulls[dim_[0].column] | (dims_ == 2 && nulls[dim_[1].column]);
      if (r0 < dim_[0].extent && r1 < dim_[1].extent && !null) [[likely]] {
        uint32_t& cell = dense_index_[r0 * dim_[1].extent + r1];
        if (cell == 0) [[unlikely]]
          cell = new_group(values, nulls) + 1;
        g = cell - 1;
      } else {
        g = outside(values, nulls);
      }
    } else {
      g = hashed(values, nulls);
    }
    return update(g, values, nulls);
  }
  // After add() returned false: `group (k1, k2), measure m`.
  std::string describe_overflow() const;

 private:
  struct Slot {
    int64_t value = 0;
    int64_t n = 0;  // non-null values counted (sum, min, max)
  };
  struct Op {
    MeasureKind kind;
    uint32_t column;
    bool nullable;
  };
  struct Dim {
    uint32_t column = 0;
    int64_t base = 0;
    uint64_t extent = 1;
  };
  uint64_t null_bits(uint32_t g) const { return static_cast<uint64_t>(keys_[g * stride_]); }
  const Slot& slot(uint32_t g, size_t m) const { return slots_[g * ops_.size() + m]; }
  uint32_t new_group(const int64_t* values, const uint8_t* nulls);
  // add()'s group for a row the dense index does not cover: grows it, or leaves dense mode.
  uint32_t outside(const int64_t* values, const uint8_t* nulls);
  bool reshape(const int64_t* values);
  void leave_dense();
  uint32_t hashed(const int64_t* values, const uint8_t* nulls);
  void key_words(const int64_t* values, const uint8_t* nulls, int64_t* out) const;
  uint64_t hash_words(const int64_t* words) const;
  void rehash(size_t capacity);
  bool update(uint32_t g, const int64_t* values, const uint8_t* nulls);
  std::string fmt_overflow(uint32_t g, size_t m) const;

  const Job* job_;
  const Table* table_;
  const JobGroups* owner_;
  std::vector<Op> ops_;
  size_t stride_;  // int64 words per group key: the null bits, then one per key
  std::vector<int64_t> keys_;
  std::vector<Slot> slots_;
  uint32_t groups_ = 0;

  bool dense_ = false;
  size_t dims_ = 0;
  Dim dim_[2];
  std::vector<uint32_t> dense_index_;  // group id + 1; 0: no group

  std::vector<uint32_t> hash_index_;  // group id + 1; 0: empty; a power of two in size
  std::vector<int64_t> scratch_;
  std::string overflow_;
};

}  // namespace snapdelta
