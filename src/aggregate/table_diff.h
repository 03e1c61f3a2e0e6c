// table_diff: two key-ordered lists of one table's rows (expected, actual) compared, as verify and
// the benchmark judge a table.
// Contract: walks both lists (each sorted by key_less() over the table's keys) once and returns
// how many rows differ: a key only in `expected` ("T: missing in table: <row>"), only in `actual`
// ("T: extra in table: <row>"), or in both with other cells ("T: differs: expected <row>, table
// has <row>"), rows written by row_text(). The first differences are appended to `out` until it
// holds `max` lines; every one is counted.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "aggregate/table_cells.h"
#include "job/job.h"

namespace snapdelta {

size_t table_differences(const Job& job, const Table& table, const std::vector<TableRow>& expected,
                         const std::vector<TableRow>& actual, size_t max,
                         std::vector<std::string>& out);

}  // namespace snapdelta
