#include "aggregate/measure_program.h"

#include <algorithm>
#include <limits>

namespace snapdelta {

namespace {

constexpr int64_t kMaxValue = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinValue = std::numeric_limits<int64_t>::min();

}  // namespace

MeasureProgram::MeasureProgram(const std::vector<Measure>& measures) {
  for (const Measure& m : measures) {
    Op op{m.kind, m.column, 0, 0};
    if (m.kind != MeasureKind::count_rows) op.miss = static_cast<uint32_t>(misses_++);
    if (m.kind == MeasureKind::sum || m.kind == MeasureKind::min || m.kind == MeasureKind::max) {
      op.word = static_cast<uint32_t>(width_++);
    }
    const Step step{m.column, op.word};
    if (m.kind == MeasureKind::sum) sums_.push_back(step);
    if (m.kind == MeasureKind::min) mins_.push_back(step);
    if (m.kind == MeasureKind::max) maxes_.push_back(step);
    ops_.push_back(op);
  }
  if (mins_.empty() && maxes_.empty() && sums_.size() <= 3) {
    constexpr Shape kBySums[4] = {Shape::count_only, Shape::one_sum, Shape::two_sums,
                                  Shape::three_sums};
    shape_ = kBySums[sums_.size()];
  }
}

// Min and max start at the far end of the range so a row needs no "first value" test; until a
// value arrives is_null() hides them.
void MeasureProgram::init(int64_t* record, int64_t* misses) const {
  std::fill(record, record + width_, 0);
  std::fill(misses, misses + misses_, 0);
  for (const Step& s : mins_) record[s.word] = kMaxValue;
  for (const Step& s : maxes_) record[s.word] = kMinValue;
}

bool MeasureProgram::add_plain_any(int64_t* record, const int64_t* values) const {
  bool over = false;
  for (const Step& s : sums_) {
    int64_t sum;
    over |= __builtin_add_overflow(record[s.word], values[s.column], &sum);
  }
  if (over) return false;
  for (const Step& s : sums_) record[s.word] += values[s.column];
  for (const Step& s : mins_) record[s.word] = std::min(record[s.word], values[s.column]);
  for (const Step& s : maxes_) record[s.word] = std::max(record[s.word], values[s.column]);
  ++record[0];
  return true;
}

bool MeasureProgram::add(int64_t* record, int64_t* misses, const int64_t* values,
                         const uint8_t* nulls) const {
  for (const Step& s : sums_) {  // sums first: a row that overflows one changes nothing
    int64_t sum;
    if (!nulls[s.column] && __builtin_add_overflow(record[s.word], values[s.column], &sum)) {
      return false;
    }
  }
  for (const Op& op : ops_) {
    if (op.kind == MeasureKind::count_rows) continue;
    if (nulls[op.column]) {
      ++misses[op.miss];
      continue;
    }
    const int64_t v = values[op.column];
    int64_t& w = record[op.word];
    switch (op.kind) {
      case MeasureKind::sum:
        w += v;
        break;
      case MeasureKind::min:
        w = std::min(w, v);
        break;
      case MeasureKind::max:
        w = std::max(w, v);
        break;
      case MeasureKind::count_rows:
      case MeasureKind::count:
        break;
    }
  }
  ++record[0];
  return true;
}

size_t MeasureProgram::overflowing(const int64_t* record, const int64_t* values,
                                   const uint8_t* nulls) const {
  for (size_t m = 0; m < ops_.size(); ++m) {
    const Op& op = ops_[m];
    int64_t sum;
    if (op.kind == MeasureKind::sum && !nulls[op.column] &&
        __builtin_add_overflow(record[op.word], values[op.column], &sum)) {
      return m;
    }
  }
  return 0;
}

int64_t MeasureProgram::value(const int64_t* record, const int64_t* misses, size_t m) const {
  const Op& op = ops_[m];
  switch (op.kind) {
    case MeasureKind::count_rows:
      return record[0];
    case MeasureKind::count:
      return record[0] - misses[op.miss];
    case MeasureKind::sum:
    case MeasureKind::min:
    case MeasureKind::max:
      break;
  }
  return record[op.word];
}

bool MeasureProgram::is_null(const int64_t* record, const int64_t* misses, size_t m) const {
  const Op& op = ops_[m];
  if (op.kind == MeasureKind::count_rows || op.kind == MeasureKind::count) return false;
  return record[0] == misses[op.miss];
}

}  // namespace snapdelta
