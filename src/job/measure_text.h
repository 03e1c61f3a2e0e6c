// A measure as the job file spells it: "sum(col)", "count()" (rows), "count(col)" (non-null
// values), "min(col)", "max(col)". Contract: parse_measure() splits the text into its function
// and column name (empty for count()) without looking the column up; measure_text() writes the
// spelling back. A text that is not a measure yields the problem as "expected ..., found ...".
#pragma once

#include <string>
#include <string_view>

#include "job/job.h"

namespace snapdelta {

struct ParsedMeasure {
  MeasureKind kind = MeasureKind::count_rows;
  std::string column;   // "" for count()
  std::string problem;  // "" when the text is a measure
};

ParsedMeasure parse_measure(std::string_view text);
std::string measure_text(MeasureKind kind, std::string_view column);

}  // namespace snapdelta
