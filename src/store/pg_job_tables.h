// The job a PostgreSQL database serves, and its tables (job_meta.h states the rules).
// Contract: every function runs on the caller's connection; the writing ones inside the caller's
// transaction. pg_check_job() fails with job_conflict()'s line when the database serves another
// job, and says whether everything is in place (the schema at this version, the job stored, its
// tables there). pg_ensure_job_tables() does that check, then, only when the job is not yet stored
// or a table is missing, takes the schema's advisory lock and creates the tables and stores the job
// (concurrent first writers create them once); it reads what it needs in two round trips.
// pg_job_unchanged() says, in one round trip, whether the schema is still at this version and the
// database still serves `canonical_job` (a writer that found everything in place earlier on its
// connection re-checks no more than that). With JobChange::rebuild, pg_ensure_job_tables() meets
// another job by dropping its tables and forgetting every client's state and checkpoints (under
// the advisory lock, in the caller's transaction) before creating this job's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "job/job.h"
#include "store/job_meta.h"
#include "store/pg_conn.h"
#include "store/table_layout.h"

namespace snapdelta {

std::optional<std::string> pg_served_job(PgConn& conn);
bool pg_check_job(PgConn& conn, const Job& job, const std::vector<TableLayout>& layouts);
// True when everything was in place already (nothing made that a rollback could undo).
bool pg_ensure_job_tables(PgConn& conn, const Job& job, const std::vector<TableLayout>& layouts,
                          JobChange on_conflict = JobChange::refuse);
bool pg_job_unchanged(PgConn& conn, const std::string& canonical_job);

}  // namespace snapdelta
