// A column's type guessed from sampled values, for infer. Contract: empty values are nulls and
// do not vote; of the rest, all values the parser reads as int (common/number_text.h) give int;
// all it reads as decimal(s), s the most fraction digits seen (at most 18), give decimal(s); so a
// proposed type always reads every sampled value. All dates read by exactly one candidate format
// (%Y-%m-%d, %Y/%m/%d, %d/%m/%Y, %m/%d/%Y, %d.%m.%Y, %d-%m-%Y, %m-%d-%Y) give that date (never a
// guess between two formats); anything else, or no value at all, gives string.
#pragma once

#include <string>
#include <vector>

#include "job/job.h"

namespace snapdelta {

struct ColumnGuess {
  ColumnType type;
  bool saw_null = false;  // some value was empty
  size_t values = 0;      // non-empty values sampled
  size_t distinct = 0;    // distinct non-empty values sampled
};

ColumnGuess guess_column(const std::vector<std::string>& values);

}  // namespace snapdelta
