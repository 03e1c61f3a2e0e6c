// The job a PostgreSQL database serves, and its tables (job_meta.h states the rules).
// Contract: every function runs on the caller's connection; the writing ones inside the caller's
// transaction. pg_check_job() fails with job_conflict()'s line when the database serves another
// job. pg_ensure_job_tables() does that check, then, only when the job is not yet stored or a
// table is missing, takes the schema's advisory lock and creates the tables and stores the job
// (concurrent first writers create them once). pg_rebuild_job() drops the served job's tables
// when it is another job, forgets every client's state and checkpoints, and creates this job's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "job/job.h"
#include "store/pg_conn.h"
#include "store/table_layout.h"

namespace snapdelta {

std::optional<std::string> pg_served_job(PgConn& conn);
void pg_check_job(PgConn& conn, const Job& job);
// True when everything was in place already (nothing made that a rollback could undo).
bool pg_ensure_job_tables(PgConn& conn, const Job& job, const std::vector<TableLayout>& layouts);
void pg_rebuild_job(PgConn& conn, const Job& job, const std::vector<TableLayout>& layouts);

}  // namespace snapdelta
