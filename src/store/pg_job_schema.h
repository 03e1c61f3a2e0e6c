// The SQL text of a job's tables in PostgreSQL (table_layout.h says what lies where).
// Contract: pg_create_sql() makes one table (IF NOT EXISTS): client_id text COLLATE "C", keys
// (date, text COLLATE "C" so texts order bytewise, bigint for ints and decimal units), measures,
// each decimal's readable numeric(19+scale, scale) = units * 10^-scale generated (STORED) beside
// its units — for the built-in job exactly today's processed_sales. Without nullable keys the key
// is PRIMARY KEY (client_id, keys...); with them UNIQUE NULLS NOT DISTINCT (PostgreSQL 15), so
// null keys meet in one row. A bigint sum that overflows fails the statement (SQLSTATE 22003).
// The delta table "snapdelta_delta_<t>" is a temporary table of the key and measure columns
// (emptied on commit); pg_merge_sql() merges it into the table for client $1 (sums and counts
// add, LEAST/GREATEST for min/max, nulls give way) and returns the count of new keys.
// pg_select_sql() reads the client's ($1) rows, dates as days since 1970-01-01.
#pragma once

#include <string>

#include "store/table_layout.h"

namespace snapdelta {

std::string pg_create_sql(const TableLayout& layout);
std::string pg_delta_name(size_t t);
std::string pg_delta_sql(const TableLayout& layout, size_t t);
std::string pg_merge_sql(const TableLayout& layout, size_t t);
std::string pg_copy_sql(const TableLayout& layout);  // COPY into the table itself
std::string pg_select_sql(const TableLayout& layout);

}  // namespace snapdelta
