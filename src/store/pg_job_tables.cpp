#include "store/pg_job_tables.h"

#include <fmt/format.h>

#include <cstdlib>

#include "common/error.h"
#include "job/canonical.h"
#include "store/job_meta.h"
#include "store/pg_job_schema.h"
#include "store/postgres_schema.h"

namespace snapdelta {
namespace {

void create_tables(PgConn& conn, const Job& job, const std::vector<TableLayout>& layouts) {
  for (const TableLayout& layout : layouts) {
    conn.exec(pg_create_sql(layout).c_str(), "cannot create the job's tables");
  }
  conn.query(
      "INSERT INTO snapdelta_meta(key, value) VALUES ($1, $2) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      PgParams().text(kJobMetaKey).text(canonical(job)), "cannot store the job");
}

// What the database holds for the job, read in two round trips (one when there is no schema):
// whether snapdelta_meta, the legacy table and each of the job's tables exist, then the schema
// version and the stored job.
struct JobMeta {
  bool schema = false;
  bool legacy = false;
  bool tables = true;  // every table of the job's layouts
  int version = 0;
  std::optional<std::string> job;
};

JobMeta read_job_meta(PgConn& conn, const std::vector<TableLayout>& layouts) {
  std::string sql = "SELECT to_regclass('snapdelta_meta') IS NOT NULL, to_regclass($1) IS NOT NULL";
  PgParams names;
  names.text(quoted(kLegacyTable));
  for (const TableLayout& layout : layouts) {
    names.text(quoted(layout.name));
    sql += fmt::format(", to_regclass(${}) IS NOT NULL", names.size());
  }
  const PgResult r = conn.query(sql.c_str(), names, "cannot look for the schema");
  JobMeta m;
  m.schema = r.boolean(0, 0);
  m.legacy = r.boolean(0, 1);
  for (size_t t = 0; t < layouts.size(); ++t)
    m.tables = m.tables && r.boolean(0, 2 + static_cast<int>(t));
  if (!m.schema) return m;
  const PgResult v = conn.query(
      "SELECT (SELECT value FROM snapdelta_meta WHERE key = 'schema_version'), "
      "(SELECT value FROM snapdelta_meta WHERE key = $1)",
      PgParams().text(kJobMetaKey), "cannot read the schema version and the job");
  m.version = v.is_null(0, 0) ? 0 : std::atoi(std::string(v.text(0, 0)).c_str());
  if (!v.is_null(0, 1)) m.job = std::string(v.text(0, 1));
  return m;
}

std::optional<std::string> served_by(const JobMeta& m) {
  if (!m.schema || m.version == 0) return std::nullopt;
  return served_job(m.job, m.legacy);
}

}  // namespace

std::optional<std::string> pg_served_job(PgConn& conn) {
  return served_by(read_job_meta(conn, {}));
}

bool pg_check_job(PgConn& conn, const Job& job, const std::vector<TableLayout>& layouts) {
  const JobMeta m = read_job_meta(conn, layouts);
  if (const auto conflict = job_conflict(served_by(m), job)) fail(conn.describe(), *conflict);
  return m.version == kPgSchemaVersion && m.job == canonical(job) && m.tables;
}

bool pg_ensure_job_tables(PgConn& conn, const Job& job, const std::vector<TableLayout>& layouts,
                          JobChange on_conflict) {
  const JobMeta m = read_job_meta(conn, layouts);
  if (const auto conflict = job_conflict(served_by(m), job)) {
    if (on_conflict == JobChange::refuse) fail(conn.describe(), *conflict);
  }
  if (served_by(m) && m.job == canonical(job) && m.tables) return true;
  conn.exec("SELECT pg_advisory_xact_lock(1936614515, 0)", "cannot lock the schema");
  const std::optional<std::string> served = pg_served_job(conn);
  if (const auto conflict = job_conflict(served, job)) {
    if (on_conflict == JobChange::refuse) fail(conn.describe(), *conflict);
    for (const std::string& name : served_tables(*served)) {
      conn.exec(("DROP TABLE IF EXISTS " + quoted(name)).c_str(), "cannot drop the old tables");
    }
    conn.exec("DELETE FROM snapdelta_state; DELETE FROM snapdelta_checkpoint",
              "cannot forget the clients' state");
  }
  create_tables(conn, job, layouts);
  return false;
}

bool pg_job_unchanged(PgConn& conn, const std::string& canonical_job) {
  const PgResult v = conn.query(
      "SELECT (SELECT value FROM snapdelta_meta WHERE key = 'schema_version'), "
      "(SELECT value FROM snapdelta_meta WHERE key = $1)",
      PgParams().text(kJobMetaKey), "cannot read the schema version and the job");
  return !v.is_null(0, 0) && !v.is_null(0, 1) &&
         std::atoi(std::string(v.text(0, 0)).c_str()) == kPgSchemaVersion &&
         v.text(0, 1) == canonical_job;
}

}  // namespace snapdelta
