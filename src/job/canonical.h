// The job's definition as a database remembers it. Contract: canonical(job) is a stable TOML
// text of everything in the Job (source, CSV format, columns, tables, measures; each column in
// the long form, every default written out), which parse_job() reads back to an equal Job; two
// jobs have the same canonical text exactly when they are equal. first_difference() reads a
// stored canonical text and names, in one line, the first part in which `job` differs from it
// (e.g. `table processed_sales: measure total_quantity was sum(quantity_sold), is now
// min(quantity_sold)`), or nullopt when they are the same job. With header = true in both, the
// columns' order in [columns] decides nothing (they are found by header name, the tables name
// them): columns are matched by name, and a job that only reorders them is the same job, though
// its canonical text differs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "job/job.h"

namespace snapdelta {

std::string canonical(const Job& job);
std::optional<std::string> first_difference(std::string_view stored_canonical, const Job& job);

}  // namespace snapdelta
