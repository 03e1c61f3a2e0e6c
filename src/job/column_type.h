// The type of a job column as the job file spells it: "date" (%Y-%m-%d), "date:FORMAT" (see
// DateFormat), "string", "int" (64-bit) or "decimal(S)" (exact, at most S fraction digits,
// 0 <= S <= 18). Contract: column_type_text() writes the spelling parse_column_type() reads back
// to an equal ColumnType; a text that is not a type yields the problem as "expected ..., found
// ..." and no type.
#pragma once

#include <string>
#include <string_view>

#include "job/job.h"

namespace snapdelta {

struct ParsedColumnType {
  ColumnType type;
  std::string problem;  // "" when `type` is the text's type
};

ParsedColumnType parse_column_type(std::string_view text);
std::string column_type_text(const ColumnType& type);

}  // namespace snapdelta
