// RowLayout: which field of a job's CSV rows feeds which job column, computed once per file.
// Contract: read() takes the file's first line (without line end or UTF-8 BOM). With
// `header = true` it is the header: each column is the field whose (unquoted) name is its
// from_header, in any order; other fields are skipped; a declared name missing or present twice
// throws Error `path:1:C: expected a column "x" [once] in the header, found "<whole header>"`.
// With `header = false` it is the first row: a column is the field at its 1-based from_position,
// and it must have at least the largest position. Either way `fields` is that line's field count,
// which every row must have. empty_csv() is the error for a file without a first line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "job/job.h"

namespace snapdelta {

struct RowLayout {
  static constexpr uint32_t kSkip = UINT32_MAX;

  std::vector<uint32_t> column_of;  // per field, 0-based: the job column it feeds, or kSkip
  size_t fields = 0;                // fields per row

  static RowLayout read(std::string_view path, const Job& job, std::string_view first_line);
  [[noreturn]] static void empty_csv(std::string_view path, const Job& job);
};

}  // namespace snapdelta
