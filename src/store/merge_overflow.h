// merge_overflow: names the group whose merge into a client's stored rows overflows int64, for
// the refusal both stores give when a sum would leave 64-bit integers.
// Contract: `stored` are the client's rows of job table `t` (table_cells.h form, any order);
// merging adds each group of `groups`' table t into the stored row of the same key (sums add,
// counts add). Returns "table T, group (k1, k2), measure M" for the first group in key order
// whose sum or count overflows, or "" when none does. Keys print as the CSV would hold them
// (dates YYYY-MM-DD, decimals with their fraction digits, null as null).
#pragma once

#include <string>
#include <vector>

#include "aggregate/job_groups.h"
#include "aggregate/table_cells.h"
#include "store/table_layout.h"

namespace snapdelta {

std::string merge_overflow(const JobGroups& groups, size_t t, std::vector<TableRow> stored);
// The whole refusal, after the store's name: "expected sums within 64-bit integers, found an
// overflow in <merge_overflow()>".
std::string overflow_message(const std::string& where);
std::string render_cell(const Cell& cell, const StoredColumn& column);

}  // namespace snapdelta
