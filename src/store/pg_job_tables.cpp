#include "store/pg_job_tables.h"

#include "common/error.h"
#include "job/canonical.h"
#include "store/job_meta.h"
#include "store/pg_job_schema.h"
#include "store/postgres_schema.h"

namespace snapdelta {
namespace {

bool table_exists(PgConn& conn, const std::string& name) {
  return conn
      .query("SELECT to_regclass($1) IS NOT NULL", PgParams().text(quoted(name)),
             "cannot look for a table")
      .boolean(0, 0);
}

void create_tables(PgConn& conn, const Job& job, const std::vector<TableLayout>& layouts) {
  for (const TableLayout& layout : layouts) {
    conn.exec(pg_create_sql(layout).c_str(), "cannot create the job's tables");
  }
  conn.query(
      "INSERT INTO snapdelta_meta(key, value) VALUES ($1, $2) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      PgParams().text(kJobMetaKey).text(canonical(job)), "cannot store the job");
}

std::optional<std::string> meta_job(PgConn& conn) {
  const PgResult r = conn.query("SELECT value FROM snapdelta_meta WHERE key = $1",
                                PgParams().text(kJobMetaKey), "cannot read the job");
  if (r.rows() == 0) return std::nullopt;
  return std::string(r.text(0, 0));
}

}  // namespace

std::optional<std::string> pg_served_job(PgConn& conn) {
  if (pg_schema_version(conn) == 0) return std::nullopt;
  return served_job(meta_job(conn), table_exists(conn, kLegacyTable));
}

void pg_check_job(PgConn& conn, const Job& job) {
  if (const auto conflict = job_conflict(pg_served_job(conn), job)) {
    fail(conn.describe(), *conflict);
  }
}

bool pg_ensure_job_tables(PgConn& conn, const Job& job, const std::vector<TableLayout>& layouts) {
  const std::optional<std::string> served = pg_served_job(conn);
  if (const auto conflict = job_conflict(served, job)) fail(conn.describe(), *conflict);
  bool complete = served && meta_job(conn) == canonical(job);
  for (const TableLayout& layout : layouts) complete = complete && table_exists(conn, layout.name);
  if (complete) return true;
  conn.exec("SELECT pg_advisory_xact_lock(1936614515, 0)", "cannot lock the schema");
  if (const auto conflict = job_conflict(pg_served_job(conn), job)) {
    fail(conn.describe(), *conflict);
  }
  create_tables(conn, job, layouts);
  return false;
}

void pg_rebuild_job(PgConn& conn, const Job& job, const std::vector<TableLayout>& layouts) {
  conn.exec("SELECT pg_advisory_xact_lock(1936614515, 0)", "cannot lock the schema");
  ensure_pg_schema(conn);
  const std::optional<std::string> served = pg_served_job(conn);
  if (job_conflict(served, job)) {
    for (const std::string& name : served_tables(*served)) {
      conn.exec(("DROP TABLE IF EXISTS " + quoted(name)).c_str(), "cannot drop the old tables");
    }
    conn.exec("DELETE FROM snapdelta_state; DELETE FROM snapdelta_checkpoint",
              "cannot forget the clients' state");
  }
  create_tables(conn, job, layouts);
}

}  // namespace snapdelta
