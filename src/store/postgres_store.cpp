#include "store/postgres_store.h"

#include <algorithm>
#include <cstdlib>
#include <exception>

#include "job/canonical.h"
#include "store/pg_job_schema.h"
#include "store/pg_job_tables.h"
#include "store/postgres_group.h"
#include "store/postgres_schema.h"
#include "store/postgres_write.h"
#include "store/segment_codec.h"

namespace snapdelta {
namespace {

uint64_t as_u64(int64_t v) { return static_cast<uint64_t>(v); }

const char* kIsoUtc = R"(YYYY-MM-DD"T"HH24:MI:SS.MS"Z")";

std::string iso_utc(const char* column) {
  return std::string("to_char(") + column + " AT TIME ZONE 'UTC', '" + kIsoUtc + "')";
}

// The state's header, '' in a version-3 schema that has not been upgraded yet.
std::string header_column(int schema_version) { return schema_version >= 4 ? "header" : "''"; }

ClientState state_of(const PgResult& r, int row) {
  ClientState st;
  st.client = r.text(row, 0);
  st.day = static_cast<int>(r.int64(row, 1));
  st.file = r.text(row, 2);
  st.rows = as_u64(r.int64(row, 3));
  st.lines = as_u64(r.int64(row, 4));
  st.bytes = as_u64(r.int64(row, 5));
  st.crc32 = static_cast<uint32_t>(r.int64(row, 6));
  st.unterminated = r.boolean(row, 7);
  st.groups = as_u64(r.int64(row, 8));
  st.mode = parse_run_mode(r.text(row, 9)).value_or(RunMode::incremental);
  st.updated_at = r.text(row, 10);
  st.segments = unpack_segments(r.bytea(row, 11));
  st.header = r.text(row, 12);
  return st;
}

void load_checkpoints(PgConn& conn, ClientState& st) {
  const PgResult c = conn.query(
      "SELECT in_byte, bits, low_bits, compressed_hash, out_offset, tail_hash, \"window\" "
      "FROM snapdelta_checkpoint WHERE client_id = $1 ORDER BY seq",
      PgParams().text(st.client), "cannot read the checkpoints");
  for (int i = 0; i < c.rows(); ++i) {
    StoredCheckpoint cp;
    cp.in_byte = as_u64(c.int64(i, 0));
    cp.bits = static_cast<int>(c.int64(i, 1));
    cp.low_bits = static_cast<uint8_t>(c.int64(i, 2));
    cp.compressed_hash = as_u64(c.int64(i, 3));
    cp.out_offset = as_u64(c.int64(i, 4));
    cp.tail_hash = as_u64(c.int64(i, 5));
    cp.window = c.bytea(i, 6);
    if (cp.bits < 0 || cp.bits > 7) continue;
    st.checkpoints.push_back(std::move(cp));
  }
}

}  // namespace

PostgresStore::PostgresStore(const std::string& uri, int busy_timeout_ms, const Job& job)
    : job_(&job),
      canonical_job_(canonical(job)),
      conn_(uri, PgConnectOptions{busy_timeout_ms}),
      busy_timeout_ms_(busy_timeout_ms) {
  for (size_t t = 0; t < job.tables.size(); ++t) layouts_.push_back(table_layout(job, t));
}

bool PostgresStore::has_schema() { return schema_version() > 0; }

int PostgresStore::schema_version() { return ready_ ? kPgSchemaVersion : pg_schema_version(conn_); }

namespace {

// Runs `body` in a transaction of its own: committed, or rolled back and rethrown.
template <class Body>
void in_transaction(PgConn& conn, const char* what, Body body) {
  conn.exec("BEGIN", "cannot begin a transaction");
  try {
    body();
    conn.exec("COMMIT", what);
  } catch (...) {
    try {
      conn.exec("ROLLBACK", "cannot roll back");
    } catch (const std::exception&) {
      // The first failure is the one to report.
    }
    throw;
  }
}

}  // namespace

void PostgresStore::init() {
  ready_ = false;
  in_transaction(conn_, "cannot commit the schema", [this] {
    create_pg_schema(conn_);
    if (!rebuild_pending_) pg_ensure_job_tables(conn_, *job_, layouts_);
  });
}

void PostgresStore::check_job() { ready_ = pg_check_job(conn_, *job_, layouts_); }

void PostgresStore::allow_rebuild() {
  rebuild_allowed_ = true;
  rebuild_pending_ = has_schema() && job_conflict(pg_served_job(conn_), *job_).has_value();
}

void PostgresStore::ensure_ready() {
  if (ready_ && pg_job_unchanged(conn_, canonical_job_)) return;
  ready_ = false;
  const int found = ensure_pg_schema(conn_);
  const bool in_place = pg_ensure_job_tables(
      conn_, *job_, layouts_, rebuild_allowed_ ? JobChange::rebuild : JobChange::refuse);
  ready_ = found == kPgSchemaVersion && in_place;
  if (in_place) rebuild_pending_ = false;
}

std::vector<TableRow> PostgresStore::table_rows(const std::string& client, size_t table) {
  const TableLayout& layout = layouts_.at(table);
  if (!has_schema()) return {};
  const PgResult exists =
      conn_.query("SELECT to_regclass($1) IS NOT NULL", PgParams().text(quoted(layout.name)),
                  "cannot look for a table");
  if (!exists.boolean(0, 0)) return {};
  const std::string sql = pg_select_sql(layout);
  const PgResult r = conn_.query(sql.c_str(), PgParams().text(client), "cannot read the rows");
  const size_t keys = layout.keys.size(), cells = keys + layout.measures.size();
  std::vector<TableRow> rows(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    TableRow& row = rows[static_cast<size_t>(i)];
    row.resize(cells);
    for (size_t c = 0; c < cells; ++c) {
      const int col = static_cast<int>(c);
      const StoredColumn& sc = c < keys ? layout.keys[c] : layout.measures[c - keys];
      if (r.is_null(i, col)) {
        row[c].null = true;
      } else if (sc.kind == StoredKind::text) {
        row[c].text = r.text(i, col);
      } else {
        row[c].number = r.int64(i, col);
      }
    }
  }
  std::sort(rows.begin(), rows.end(),
            [keys](const TableRow& a, const TableRow& b) { return key_less(a, b, keys); });
  return rows;
}

void PostgresStore::require_schema() {
  if (pg_schema_version(conn_) != kPgSchemaVersion) init();
}

void PostgresStore::record_failure(const FailureRecord& f) {
  in_transaction(conn_, "cannot commit the failure", [this, &f] {
    ensure_pg_schema(conn_);
    PgParams p;
    p.text(f.client).int64(f.day).text(f.file).text(f.error).text(f.host).int64(f.pid);
    conn_.query(
        "INSERT INTO snapdelta_failures(client_id, day, file, error, failed_at, host, pid) "
        "VALUES ($1, $2, $3, $4, clock_timestamp(), $5, $6)",
        p, "cannot record the failure");
  });
}

std::vector<FailureRecord> PostgresStore::failures(const std::string& client) {
  std::vector<FailureRecord> out;
  if (pg_schema_version(conn_) < 3) return out;
  const std::string sql = "SELECT client_id, day, file, error, " + iso_utc("failed_at") +
                          ", coalesce(" + iso_utc("cleared_at") +
                          ", ''), host, pid FROM snapdelta_failures "
                          "WHERE $1 = '' OR client_id = $1 ORDER BY failed_at, failure_id";
  const PgResult r = conn_.query(sql.c_str(), PgParams().text(client), "cannot read the failures");
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back(FailureRecord{std::string(r.text(i, 0)), static_cast<int>(r.int64(i, 1)),
                                std::string(r.text(i, 2)), std::string(r.text(i, 3)),
                                std::string(r.text(i, 4)), std::string(r.text(i, 5)),
                                std::string(r.text(i, 6)), r.int64(i, 7)});
  }
  return out;
}

std::unique_ptr<ClientWrite> PostgresStore::begin_write(const std::string& client) {
  return PostgresWrite::begin(*this, conn_, client, Claim::wait, busy_timeout_ms_);
}

std::unique_ptr<ClientWrite> PostgresStore::try_begin_write(const std::string& client) {
  return PostgresWrite::begin(*this, conn_, client, Claim::skip_if_held, busy_timeout_ms_);
}

std::unique_ptr<GroupWrite> PostgresStore::begin_group() {
  return PostgresGroupWrite::begin(*this, conn_, busy_timeout_ms_);
}

std::optional<ClientState> PostgresStore::load_state(const std::string& client) {
  std::optional<ClientState> st = load_progress(client);
  if (st) load_checkpoints(conn_, *st);
  return st;
}

std::optional<ClientState> PostgresStore::load_progress(const std::string& client) {
  if (rebuild_pending_) return std::nullopt;  // another job's state: recomputed from scratch
  const int version = schema_version();
  if (version == 0) return std::nullopt;
  const std::string sql =
      "SELECT client_id, day, file, rows, lines, bytes, crc32, unterminated, groups, mode, " +
      iso_utc("updated_at") + ", segments, " + header_column(version) +
      " FROM snapdelta_state WHERE client_id = $1";
  const PgResult r = conn_.query(sql.c_str(), PgParams().text(client), "cannot read the state");
  if (r.rows() == 0) return std::nullopt;
  return state_of(r, 0);
}

std::vector<ClientState> PostgresStore::all_states() {
  std::vector<ClientState> out;
  if (rebuild_pending_) return out;
  const int version = schema_version();
  if (version == 0) return out;
  const std::string sql =
      "SELECT client_id, day, file, rows, lines, bytes, crc32, unterminated, groups, mode, " +
      iso_utc("updated_at") + ", segments, " + header_column(version) +
      " FROM snapdelta_state ORDER BY client_id";
  const PgResult r = conn_.exec(sql.c_str(), "cannot read the states");
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back(state_of(r, i));
    load_checkpoints(conn_, out.back());
  }
  return out;
}

std::vector<RunLogEntry> PostgresStore::runs(const std::string& client) {
  std::vector<RunLogEntry> out;
  if (!has_schema()) return out;
  const std::string sql =
      "SELECT client_id, day, file, mode, path, rows_in_file, rows_processed, groups_written, "
      "total_ms, " +
      iso_utc("finished_at") +
      ", host, pid FROM snapdelta_runs WHERE $1 = '' OR client_id = $1 "
      "ORDER BY finished_at, run_id";
  const PgResult r = conn_.query(sql.c_str(), PgParams().text(client), "cannot read the run log");
  for (int i = 0; i < r.rows(); ++i) {
    RunLogEntry e;
    e.client = r.text(i, 0);
    e.day = static_cast<int>(r.int64(i, 1));
    e.file = r.text(i, 2);
    e.mode = parse_run_mode(r.text(i, 3)).value_or(RunMode::incremental);
    e.path = r.text(i, 4);
    e.rows_in_file = as_u64(r.int64(i, 5));
    e.rows_processed = as_u64(r.int64(i, 6));
    e.groups_written = as_u64(r.int64(i, 7));
    e.total_ms = std::strtod(std::string(r.text(i, 8)).c_str(), nullptr);
    e.finished_at = r.text(i, 9);
    e.host = r.text(i, 10);
    e.pid = r.int64(i, 11);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace snapdelta
