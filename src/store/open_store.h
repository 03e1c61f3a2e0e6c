// open_store: the one way the pipeline, verify, status, init and bench open a store.
// Contract: a `db` beginning with postgresql:// or postgres:// is a PostgreSQL server (libpq also
// reads the PG* environment variables); any other `db` holding "://" is refused ("--db: expected
// an SQLite file or a postgresql:// or postgres:// URI, found "mysql://"", with a did-you-mean
// hint for a near miss such as postgresq://), by every function here; anything else is an
// SQLite database file.
// StoreOpen::create_if_missing creates an SQLite database file that does not exist yet (callers
// read their whole input first, so bad input never creates one); StoreOpen::existing fails with
// "DB: expected a database, found no such file in DIR (...)" when there is none. A server store
// always "exists": the server holds it, and its schema is created by the first write or by
// init_store. The busy timeout is how long a writer waits for another one's lock before failing
// with a clear line.
// The store serves `job` (builtin_job() by default; it must outlive the store): its database
// remembers the job (job_meta.h). Opening an existing store whose database serves another job
// fails with job_conflict()'s line, as does the first write of a created one, unless
// StoreOptions::job_change is JobChange::rebuild: then the store reads every client's state as
// none, and the first client write that lands drops the old job's tables, creates the new job's,
// deletes every client's state and checkpoints (the run log and failures stay) and stores the new
// definition, inside that write's own transaction: a run that fails leaves the old job's database
// as it was, and every client is recomputed from its newest drop.
#pragma once

#include <memory>
#include <string>

#include "job/builtin_job.h"
#include "job/job.h"
#include "store/job_meta.h"
#include "store/store.h"

namespace snapdelta {

enum class StoreOpen { create_if_missing, existing };

struct StoreOptions {
  std::string db = "poc_database.db";
  StoreOpen open = StoreOpen::existing;
  int busy_timeout_ms = 60000;
  JobChange job_change = JobChange::refuse;
};

std::unique_ptr<Store> open_store(const StoreOptions& options, const Job& job = builtin_job());

// Whether the store is there already (an SQLite file exists, or a server is named). A run that
// would create it reads its whole input first.
bool store_exists(const StoreOptions& options);

// Stops a command on a store fault before any client is tried: opens the store once and brings
// its schema to this version (creating or upgrading it, in a transaction of its own, only when it
// is missing or older), so a database that cannot be opened, a server that cannot be reached or a
// schema that cannot be created is one Error. A missing SQLite file is no fault (the first commit
// creates it) and is left missing. The store is held to `job` (open_store's refusal), unless
// JobChange::rebuild lets the first landing write replace another job's tables.
void check_store(const StoreOptions& options, const Job& job = builtin_job());

// Creates the store's schema (and an SQLite file) when missing; an existing schema is left as it
// is, a newer version refused. Returns the store as describe() names it.
std::string init_store(const StoreOptions& options, const Job& job = builtin_job());

}  // namespace snapdelta
