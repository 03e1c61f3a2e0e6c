// The PostgreSQL schema of the store: the same tables and columns as SQLite's (sqlite_store.h),
// in PostgreSQL types; the job's tables are made by pg_job_tables.h. The built-in job's
// processed_sales keeps exact bigint sums (an overflow is an error, never a
// rounded value) and total_revenue as numeric(21,2) generated from the cents, exact; dates are
// `date`; texts compare byte-wise (COLLATE "C"), so key order is the group table's order.
// Contract: pg_schema_version() is 0 when the schema is absent. create_pg_schema() runs inside
// the caller's transaction: it takes a transaction-scoped advisory lock first, so concurrent
// first writers create it once (the second waits, then finds it), and it refuses a newer
// schema version than kPgSchemaVersion. Creating needs CREATE on the database's schema; workers
// that find it present need only SELECT, INSERT, UPDATE, DELETE on the tables (and TEMPORARY).
#pragma once

#include "store/pg_conn.h"

namespace snapdelta {

constexpr int kPgSchemaVersion = 4;

int pg_schema_version(PgConn& conn);
void create_pg_schema(PgConn& conn);
// The schema is there at this version (creating it when missing), or an Error. Returns the version
// found before (0: none).
int ensure_pg_schema(PgConn& conn);

}  // namespace snapdelta
