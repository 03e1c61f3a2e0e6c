// TableGroups: one job table's groups (see job_groups.h, which fills them).
// Contract: group ids are 0..size()-1 in first-seen order; sorted() lists them in key order
// (table_cells.h's key_less on the rows they make). key_number() is a key's date day number, int
// value, decimal units or string id; key_text() a string key's text; a null key has
// key_null() and no meaningful number or text. measure() is a measure's exact value, meaningful
// only when !measure_null().
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "aggregate/table_cells.h"
#include "job/job.h"

namespace snapdelta {

class JobGroups;

class TableGroups {
 public:
  TableGroups(const Job& job, const Table& table, const JobGroups& owner);

  const Table& table() const { return *table_; }
  size_t size() const { return groups_; }
  std::vector<uint32_t> sorted() const;

  bool key_null(uint32_t g, size_t k) const { return (null_bits(g) >> k) & 1u; }
  int64_t key_number(uint32_t g, size_t k) const { return keys_[g * stride_ + 1 + k]; }
  std::string_view key_text(uint32_t g, size_t k) const;
  bool measure_null(uint32_t g, size_t m) const { return slot(g, m).n == 0 && nullable_[m]; }
  int64_t measure(uint32_t g, size_t m) const { return slot(g, m).value; }
  TableRow row(uint32_t g) const;

  // The writing side, for JobGroups::add_row().
  bool add(const int64_t* values, const uint8_t* nulls);
  std::string describe_group(const int64_t* values, const uint8_t* nulls) const;
  size_t overflowed_measure() const { return overflowed_; }

 private:
  struct Slot {
    int64_t value;
    int64_t n;  // non-null values counted (rows, for count())
  };
  uint64_t null_bits(uint32_t g) const { return static_cast<uint64_t>(keys_[g * stride_]); }
  const Slot& slot(uint32_t g, size_t m) const { return slots_[g * measures_ + m]; }
  uint32_t find_or_insert(const int64_t* key, uint64_t hash);
  void grow();
  bool update(uint32_t g, const int64_t* values, const uint8_t* nulls);

  const Job* job_;
  const Table* table_;
  const JobGroups* owner_;
  size_t stride_;    // int64 words per group key: the null bits, then one per key
  size_t measures_;  // slots per group
  std::vector<bool> nullable_;
  std::vector<int64_t> keys_;  // stride_ words per group
  std::vector<Slot> slots_;    // measures_ per group
  std::vector<uint32_t> index_;  // open addressing: group id + 1, 0 when empty
  std::vector<int64_t> scratch_;
  uint32_t groups_ = 0;
  size_t overflowed_ = 0;
};

}  // namespace snapdelta
