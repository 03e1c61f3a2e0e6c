// Parts of a Job written as the job file writes them, for canonical() and first_difference().
// Contract: each text names columns by name (never by index) so texts of two jobs compare as
// the jobs do.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "job/job.h"

namespace snapdelta {

// `["", "NULL"]`
std::string null_list_text(const std::vector<std::string>& nulls);
// `"Cost Total $"` (by header) or `3` (by position)
std::string column_source_text(const Column& column);
// The group_by columns' names, each a TOML string, joined by `separator`.
std::string group_by_text(const Job& job, const Table& table, std::string_view separator);
// `sum(quantity_sold)`
std::string measure_text_of(const Job& job, const Measure& measure);

}  // namespace snapdelta
