#include "store/postgres_schema.h"

#include <fmt/format.h>

#include "common/error.h"

namespace snapdelta {
namespace {

// Every statement is idempotent, so an older schema (version 2 lacks snapdelta_failures, version
// 3 the state's header) is brought to this version by running it again. The job's tables are
// made apart (pg_job_tables.h).
// Advisory lock key pair (namespace 's','n','d','s', key 0) that schema creation holds.
const char* kLockSchema = "SELECT pg_advisory_xact_lock(1936614515, 0)";

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS snapdelta_meta(key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS snapdelta_state(
  client_id text COLLATE "C" PRIMARY KEY,
  day integer NOT NULL,
  file text NOT NULL,
  rows bigint NOT NULL,
  lines bigint NOT NULL,
  bytes bigint NOT NULL,
  crc32 bigint NOT NULL,
  unterminated boolean NOT NULL,
  groups bigint NOT NULL,
  mode text NOT NULL,
  updated_at timestamptz NOT NULL,
  segments bytea NOT NULL
);
CREATE TABLE IF NOT EXISTS snapdelta_checkpoint(
  client_id text COLLATE "C" NOT NULL,
  seq integer NOT NULL,
  in_byte bigint NOT NULL,
  bits integer NOT NULL,
  low_bits integer NOT NULL,
  compressed_hash bigint NOT NULL,
  out_offset bigint NOT NULL,
  tail_hash bigint NOT NULL,
  "window" bytea NOT NULL,
  PRIMARY KEY (client_id, seq)
);
CREATE TABLE IF NOT EXISTS snapdelta_runs(
  run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  client_id text COLLATE "C" NOT NULL,
  day integer NOT NULL,
  file text NOT NULL,
  mode text NOT NULL,
  path text NOT NULL,
  rows_in_file bigint NOT NULL,
  rows_processed bigint NOT NULL,
  groups_written bigint NOT NULL,
  total_ms double precision NOT NULL,
  finished_at timestamptz NOT NULL,
  host text NOT NULL,
  pid bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS snapdelta_runs_client ON snapdelta_runs(client_id, day);
CREATE TABLE IF NOT EXISTS snapdelta_failures(
  failure_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  client_id text COLLATE "C" NOT NULL,
  day integer NOT NULL,
  file text NOT NULL,
  error text NOT NULL,
  failed_at timestamptz NOT NULL,
  cleared_at timestamptz,
  host text NOT NULL,
  pid bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS snapdelta_failures_client ON snapdelta_failures(client_id, cleared_at);
ALTER TABLE snapdelta_state ADD COLUMN IF NOT EXISTS header text NOT NULL DEFAULT '';
INSERT INTO snapdelta_meta(key, value) VALUES ('schema_version', '4')
  ON CONFLICT (key) DO UPDATE SET value = '4';
)sql";

void refuse_newer(PgConn& conn, int version) {
  if (version > kPgSchemaVersion) {
    fail(conn.describe(),
         fmt::format("expected schema version {} or older, found version {} (a newer snapdelta "
                     "wrote this database)",
                     kPgSchemaVersion, version));
  }
}

}  // namespace

int pg_schema_version(PgConn& conn) {
  // to_regclass() is NULL for a missing table, so this never fails on an empty database.
  const PgResult r =
      conn.exec("SELECT to_regclass('snapdelta_meta') IS NOT NULL", "cannot look for the schema");
  if (!r.boolean(0, 0)) return 0;
  const PgResult v = conn.exec("SELECT value FROM snapdelta_meta WHERE key = 'schema_version'",
                               "cannot read the schema version");
  return v.rows() == 0 ? 0 : std::atoi(std::string(v.text(0, 0)).c_str());
}

void create_pg_schema(PgConn& conn) {
  conn.exec(kLockSchema, "cannot lock the schema");
  refuse_newer(conn, pg_schema_version(conn));
  conn.exec(kSchema, "cannot create the schema");
}

int ensure_pg_schema(PgConn& conn) {
  const int version = pg_schema_version(conn);
  refuse_newer(conn, version);
  if (version < kPgSchemaVersion) create_pg_schema(conn);
  return version;
}

}  // namespace snapdelta
