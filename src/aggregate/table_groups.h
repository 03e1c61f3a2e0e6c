// TableGroups: one job table's groups (job_groups.h fills them and states the measures' rules).
// Contract: group ids are 0..size()-1 in first-seen order; sorted() lists them in key order
// (table_cells.h's key_less on the rows they make). key_number() is a key's date day number, int
// value, decimal units or string id; key_text() a string key's text; a null key has key_null()
// and number 0. measure() is a measure's exact value, meaningful only when !measure_null().
// Storage: a table keyed by one or two dates or strings (the daily-drop shape) finds its group in
// a dense index over the key ranges while that stays small (kDenseLimit cells); any other table,
// or one whose range grew past the limit or that met a null key, hashes its key words (the index
// keeps each group's hash tag beside its id, so a probe compares keys only on a tag match). A row
// in which no column the table reads is null takes a path without null handling.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aggregate/measure_program.h"
#include "aggregate/sku_dictionary.h"
#include "aggregate/table_cells.h"
#include "common/grow_array.h"
#include "common/zeroed_array.h"
#include "job/job.h"

namespace snapdelta {

class TableGroups {
 public:
  static constexpr size_t kDenseLimit = size_t{1} << 21;  // index cells (4 bytes each)

  // `dictionaries`: the string columns' dictionaries (job_groups.h), by column; each must outlive
  // this (they live on the heap, so moving their owner keeps them in place).
  TableGroups(const Job& job, const Table& table,
              const std::vector<std::unique_ptr<SkuDictionary>>& dictionaries);

  const Table& table() const { return *table_; }
  size_t size() const { return groups_; }
  std::vector<uint32_t> sorted() const;

  bool key_null(uint32_t g, size_t k) const { return (null_bits(g) >> k) & 1u; }
  int64_t key_number(uint32_t g, size_t k) const { return keys_[g * stride_ + 1 + k]; }
  std::string_view key_text(uint32_t g, size_t k) const;
  bool measure_null(uint32_t g, size_t m) const {
    return program_.is_null(record(g), misses(g), m);
  }
  int64_t measure(uint32_t g, size_t m) const { return program_.value(record(g), misses(g), m); }
  TableRow row(uint32_t g) const;

  // Adds one row (job_groups.h's form); false, changing nothing, when a sum would overflow.
  [[gnu::always_inline]] bool add(const int64_t* values, const uint8_t* nulls) {
    if (reads_null(nulls)) [[unlikely]] {
      return add_nullable(values, nulls);
    }
    return add_plain(values);
  }
  // After add() returned false: `group (k1, k2), measure m`.
  std::string describe_overflow() const;

 private:
  struct Dim {
    uint32_t column = 0;
    int64_t base = 0;
    uint64_t extent = 1;
    bool ids = false;  // string ids: dense from 0, so the range starts at 0 and doubles
  };
  // Whether a column the table reads is null: one masked load of the flags when they all lie in
  // the first null_load_ (1, 2, 4 or 8, at most the column count) bytes, else a loop.
  [[gnu::always_inline]] bool reads_null(const uint8_t* nulls) const {
    if (null_load_ != 0) [[likely]] {
      // The constructor proved the load in bounds (null_load_ <= the column count); the empty asm
      // hides the flags' origin from the compiler, which cannot prove it and would warn.
      const uint8_t* p = nulls;
      asm("" : "+r"(p));
      uint32_t w4;
      uint64_t w8;
      if (null_load_ == 4) {
        std::memcpy(&w4, p, 4);
        return (w4 & null_mask_) != 0;
      }
      std::memcpy(&w8, p, 8);
      return (w8 & null_mask_) != 0;
    }
    uint8_t any = 0;
    for (const uint32_t c : reads_) any |= nulls[c];
    return any != 0;
  }
  // add() for a row in which no column the table reads is null: no null handling at all.
  [[gnu::always_inline]] bool add_plain(const int64_t* values) {
    uint32_t g;
    if (dense_) [[likely]] {
      const uint64_t r0 = static_cast<uint64_t>(values[dim_[0].column] - dim_[0].base);
      const uint64_t r1 =
          dims_ == 2 ? static_cast<uint64_t>(values[dim_[1].column] - dim_[1].base) : 0;
      if (r0 < dim_[0].extent && r1 < dim_[1].extent) [[likely]] {
        uint32_t& cell = dense_index_[r0 * dim_[1].extent + r1];
        if (cell == 0) [[unlikely]]
          cell = new_group(values, no_nulls_.data()) + 1;
        g = cell - 1;
      } else {
        g = outside(values, no_nulls_.data());
      }
    } else {
      g = hashed(values, no_nulls_.data());
    }
    if (!program_.add_plain(record(g), values)) [[unlikely]] {
      return refuse(g, values, no_nulls_.data());
    }
    return true;
  }
  bool add_nullable(const int64_t* values, const uint8_t* nulls);
  bool refuse(uint32_t g, const int64_t* values, const uint8_t* nulls);
  int64_t* record(uint32_t g) { return &records_[g * program_.width()]; }
  const int64_t* record(uint32_t g) const { return &records_[g * program_.width()]; }
  int64_t* misses(uint32_t g) { return misses_.data() + g * program_.misses(); }
  const int64_t* misses(uint32_t g) const { return misses_.data() + g * program_.misses(); }
  uint64_t null_bits(uint32_t g) const { return static_cast<uint64_t>(keys_[g * stride_]); }
  uint32_t new_group(const int64_t* values, const uint8_t* nulls);
  // add()'s group for a row the dense index does not cover: grows it, or leaves dense mode.
  uint32_t outside(const int64_t* values, const uint8_t* nulls);
  bool reshape(const int64_t* values);
  void leave_dense();
  uint32_t hashed(const int64_t* values, const uint8_t* nulls);
  void key_words(const int64_t* values, const uint8_t* nulls, int64_t* out) const;
  uint64_t hash_words(const int64_t* words) const;
  bool same_key(uint32_t g, const int64_t* words) const;
  void rehash(size_t capacity);
  std::string fmt_overflow(uint32_t g, size_t m) const;
  // sorted()'s two ways (table_order.cpp): walking the dense index, when its occupied rows and
  // columns are few beside the groups (empty when not), or sorting on ranked key words.
  std::vector<uint32_t> dense_order() const;
  std::vector<uint32_t> ranked_order() const;
  std::vector<uint32_t> packed_order(std::vector<int64_t>& words) const;
  std::vector<uint32_t> present_offsets(size_t d) const;

  const Job* job_;
  const Table* table_;
  std::vector<const SkuDictionary*> key_dictionaries_;  // per key; null if not a string
  MeasureProgram program_;
  std::vector<uint32_t> reads_;    // the columns the keys and measures read
  std::vector<uint8_t> no_nulls_;  // a null flag of 0 per job column
  size_t null_load_ = 0;           // reads_null()'s load: 4 or 8 bytes, or 0 for the loop
  uint64_t null_mask_ = 0;         // the bytes of reads_ in that load
  size_t stride_;                  // int64 words per group key: the null bits, then one per key
  GrowArray<int64_t> keys_;
  GrowArray<int64_t> records_;  // program_.width() words per group
  GrowArray<int64_t> misses_;   // program_.misses() words per group
  uint32_t groups_ = 0;

  bool dense_ = false;
  size_t dims_ = 0;
  Dim dim_[2];
  ZeroedArray<uint32_t> dense_index_;  // group id + 1; 0: no group

  // The hash's top 32 bits << 32 | group id + 1; 0: empty; a power of two in size.
  std::vector<uint64_t> hash_index_;
  std::vector<int64_t> scratch_;
  std::string overflow_;
};

}  // namespace snapdelta
