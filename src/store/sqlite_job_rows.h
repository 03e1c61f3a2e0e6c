// One job table's rows of one client in SQLite: writing a JobGroups table, reading rows back.
// Contract: sqlite_write_groups() writes table `t` of `groups` for `client` into the table
// laid out by `layout` (sqlite_job_schema.h). RowMerge::insert inserts every group (the caller
// deleted the client's rows first); RowMerge::merge merges each group into the stored row of its
// key or inserts it, and returns how many groups were new keys. Groups go in key order, up to 64
// per statement (one VDBE program run per batch), in statement texts of power-of-two sizes that
// the connection keeps prepared; a merged group with a null key goes alone, found by IS.
// `merged_rows` is the counter snapdelta_merged() raises. sqlite_table_rows() reads the
// client's rows in key_less order, dates as day numbers and decimals as units (table_cells.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aggregate/job_groups.h"
#include "aggregate/table_cells.h"
#include "store/sqlite_db.h"
#include "store/table_layout.h"

namespace snapdelta {

enum class RowMerge { insert, merge };

uint64_t sqlite_write_groups(SqliteDb& db, const TableLayout& layout, const JobGroups& groups,
                             size_t t, const std::string& client, RowMerge mode,
                             const uint64_t& merged_rows);
std::vector<TableRow> sqlite_table_rows(SqliteDb& db, const TableLayout& layout,
                                        const std::string& client);

}  // namespace snapdelta
