// MeasureProgram: a table's measures compiled, once, into the layout of a group's record and the
// steps that fold a row into it (job_groups.h states the measures' rules).
// Contract: a group's record is width() int64 words: word 0 counts the group's rows, then one word
// per sum, min or max measure; beside it, misses() words count per measure with a column the rows
// whose value was null (count(col) is rows - misses, and a sum/min/max is null when they are
// equal). init() makes a new group's record. add_plain() folds a row in which no column the
// measures read is null; add() folds any row; both return false, changing nothing, when a sum would
// overflow, and overflowing() then names the first such measure. value() and is_null() read one
// measure (by its index in the table) back.
#pragma once

#include <cstdint>
#include <vector>

#include "job/job.h"

namespace snapdelta {

class MeasureProgram {
 public:
  explicit MeasureProgram(const std::vector<Measure>& measures);

  size_t width() const { return width_; }
  size_t misses() const { return misses_; }
  void init(int64_t* record, int64_t* misses) const;

  [[gnu::always_inline]] bool add_plain(int64_t* record, const int64_t* values) const {
    switch (shape_) {
      case Shape::count_only:
        ++record[0];
        return true;
      case Shape::one_sum:
        return add_sums<1>(record, values);
      case Shape::two_sums:
        return add_sums<2>(record, values);
      case Shape::three_sums:
        return add_sums<3>(record, values);
      case Shape::any:
        break;
    }
    return add_plain_any(record, values);
  }
  bool add(int64_t* record, int64_t* misses, const int64_t* values, const uint8_t* nulls) const;
  // After add_plain() or add() returned false for this row: the measure whose sum overflows.
  size_t overflowing(const int64_t* record, const int64_t* values, const uint8_t* nulls) const;

  int64_t value(const int64_t* record, const int64_t* misses, size_t m) const;
  bool is_null(const int64_t* record, const int64_t* misses, size_t m) const;

 private:
  // The measures' shape without nulls: only count()s, count(col)s and up to three sums (the
  // common tables) run a fixed loop; anything else the general one.
  enum class Shape : uint8_t { count_only, one_sum, two_sums, three_sums, any };
  struct Step {
    uint32_t column;  // the value it reads
    uint32_t word;    // its record word
  };
  struct Op {
    MeasureKind kind;
    uint32_t column;
    uint32_t word;  // sum, min, max: its record word
    uint32_t miss;  // measures with a column: its misses word
  };

  // Sums checked in one pass with one combined overflow flag, then applied.
  template <size_t N>
  [[gnu::always_inline]] bool add_sums(int64_t* record, const int64_t* values) const {
    int64_t next[N];
    bool over = false;
    for (size_t k = 0; k < N; ++k) {
      over |= __builtin_add_overflow(record[sums_[k].word], values[sums_[k].column], &next[k]);
    }
    if (over) [[unlikely]] {
      return false;
    }
    for (size_t k = 0; k < N; ++k) record[sums_[k].word] = next[k];
    ++record[0];
    return true;
  }
  bool add_plain_any(int64_t* record, const int64_t* values) const;

  std::vector<Op> ops_;  // per measure, in the table's order
  std::vector<Step> sums_, mins_, maxes_;
  size_t width_ = 1;
  size_t misses_ = 0;
  Shape shape_ = Shape::any;
};

}  // namespace snapdelta
