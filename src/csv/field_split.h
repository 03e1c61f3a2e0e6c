// split_fields: one CSV line into its fields the general (slow) way, for a header and for any row
// the fast path declines. Contract: [begin, end) is a line without its line end; a field that
// starts with the quote runs to the next lone quote (a doubled quote is one quote character) and
// must be followed by the delimiter or the line's end; a quote anywhere else in a field is an
// error. Returns "" and fills `fields` (values unquoted, 1-based start columns), or returns the
// first problem as "expected ..., found ..." with `*error_column` set to where it is.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace snapdelta {

struct SplitField {
  std::string value;  // the text after unquoting
  size_t column;      // 1-based byte column where the field starts
};

std::string split_fields(const char* begin, const char* end, char delimiter, char quote,
                         std::vector<SplitField>& fields, size_t* error_column);

}  // namespace snapdelta
