// The SQL text of a job's tables in SQLite (table_layout.h says what lies where).
// Contract: create_sql() makes one table (IF NOT EXISTS): client_id TEXT, keys (dates as TEXT
// 'YYYY-MM-DD', strings TEXT, ints and decimal units INTEGER), measures, each decimal's readable
// REAL `units / 10^scale` generated beside its units. Without nullable keys the table is WITHOUT
// ROWID with PRIMARY KEY (client_id, keys...); with them a rowid table with UNIQUE (client_id,
// keys...) (a null key is found with IS, since a unique index keeps NULLs apart). Every sum
// carries CHECK (typeof = 'integer'), since SQLite turns an overflowing integer sum into a REAL.
// For the built-in job this is today's processed_sales. insert_head() is "INSERT INTO t(columns)"
// and row_values() "(?,?,...)"; upsert_tail() the ON CONFLICT clause that merges a row into
// the stored one (sums and counts add, min/max keep the extreme, nulls give way) and calls
// snapdelta_merged() once per merged row; update_sql() the same merge for one row found by IS
// on every key (?1 client, ?2.. keys, then measures); select_sql() the client's rows (?1).
#pragma once

#include <string>

#include "store/table_layout.h"

namespace snapdelta {

std::string sqlite_create_sql(const TableLayout& layout);
std::string sqlite_insert_head(const TableLayout& layout);
std::string sqlite_row_values(const TableLayout& layout);
std::string sqlite_upsert_tail(const TableLayout& layout);
std::string sqlite_update_sql(const TableLayout& layout);
std::string sqlite_select_sql(const TableLayout& layout);

}  // namespace snapdelta
