#include "store/sqlite_store.h"

#include <fmt/format.h>

#include <array>
#include <bit>
#include <cstring>
#include <memory>
#include <vector>

#include "common/date.h"
#include "common/error.h"
#include "job/canonical.h"
#include "store/job_meta.h"
#include "store/merge_overflow.h"
#include "store/process_write_lock.h"
#include "store/segment_codec.h"
#include "store/sqlite_job_rows.h"
#include "store/sqlite_job_schema.h"

namespace snapdelta {
namespace {

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS snapdelta_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapdelta_state(
  client_id TEXT PRIMARY KEY,
  day INTEGER NOT NULL,
  file TEXT NOT NULL,
  rows INTEGER NOT NULL,
  lines INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  crc32 INTEGER NOT NULL,
  unterminated INTEGER NOT NULL,
  groups INTEGER NOT NULL,
  mode TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  segments BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS snapdelta_checkpoint(
  client_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  in_byte INTEGER NOT NULL,
  bits INTEGER NOT NULL,
  low_bits INTEGER NOT NULL,
  compressed_hash INTEGER NOT NULL,
  out_offset INTEGER NOT NULL,
  tail_hash INTEGER NOT NULL,
  window BLOB NOT NULL,
  PRIMARY KEY (client_id, seq)
);
INSERT OR IGNORE INTO snapdelta_meta(key, value) VALUES ('schema_version', '1');
)sql";

// Version 2 adds the run log; a version-1 database gets it on its next write.
const char* kSchemaV2 = R"sql(
CREATE TABLE IF NOT EXISTS snapdelta_runs(
  client_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  file TEXT NOT NULL,
  mode TEXT NOT NULL,
  path TEXT NOT NULL,
  rows_in_file INTEGER NOT NULL,
  rows_processed INTEGER NOT NULL,
  groups_written INTEGER NOT NULL,
  total_ms REAL NOT NULL,
  finished_at TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS snapdelta_runs_client ON snapdelta_runs(client_id, day);
UPDATE snapdelta_meta SET value = '2' WHERE key = 'schema_version';
)sql";

// Version 3 adds the failures of client attempts; an older database gets it on its next write.
const char* kSchemaV3 = R"sql(
CREATE TABLE IF NOT EXISTS snapdelta_failures(
  client_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  file TEXT NOT NULL,
  error TEXT NOT NULL,
  failed_at TEXT NOT NULL,
  cleared_at TEXT,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS snapdelta_failures_client ON snapdelta_failures(client_id, cleared_at);
UPDATE snapdelta_meta SET value = '3' WHERE key = 'schema_version';
)sql";

// Version 4 keeps each client's CSV header line ('' on older rows: the built-in header) and the
// job the database serves (snapdelta_meta 'job'); job tables are created from the job.
const char* kAddHeader = "ALTER TABLE snapdelta_state ADD COLUMN header TEXT NOT NULL DEFAULT ''";
const char* kSchemaV4 = "UPDATE snapdelta_meta SET value = '4' WHERE key = 'schema_version'";

// SQL function snapdelta_merged(): counts the rows an upsert merged into existing ones, so the
// new-key count comes without a count(*) over the client's rows. Evaluates to 0.
void count_merged_row(sqlite3_context* ctx, int, sqlite3_value**) {
  ++*static_cast<uint64_t*>(sqlite3_user_data(ctx));
  sqlite3_result_int(ctx, 0);
}

// WAL hook: notes the log's size after each commit (instead of SQLite's own autocheckpoint, which
// would copy the log into the database inside the committing writer's turn).
int note_wal_size(void* pages, sqlite3*, const char*, int n) {
  *static_cast<int*>(pages) = n;
  return SQLITE_OK;
}

int64_t as_i64(uint64_t v) { return static_cast<int64_t>(v); }
uint64_t as_u64(int64_t v) { return static_cast<uint64_t>(v); }

}  // namespace

SqliteStore::SqliteStore(const std::string& path, StoreOpen open, int busy_timeout_ms,
                         const Job& job)
    : db_(path, open == StoreOpen::create_if_missing, busy_timeout_ms),
      write_turn_(ProcessWriteLock::for_file(path)),
      job_(&job) {
  for (size_t t = 0; t < job.tables.size(); ++t) layouts_.push_back(table_layout(job, t));
  db_.exec_when_free("PRAGMA journal_mode=WAL");
  db_.exec("PRAGMA synchronous=NORMAL");
  db_.exec("PRAGMA temp_store=MEMORY");
  db_.exec("PRAGMA cache_size=-32768");
  sqlite3_wal_hook(db_.handle(), note_wal_size, &wal_pages_);
  if (sqlite3_create_function_v2(db_.handle(), "snapdelta_merged", 0,
                                 SQLITE_UTF8 | SQLITE_DIRECTONLY, &merged_rows_, count_merged_row,
                                 nullptr, nullptr, nullptr) != SQLITE_OK) {
    db_.raise("cannot register an SQL function");
  }
}

std::unique_lock<std::timed_mutex> SqliteStore::take_write_turn() {
  return ProcessWriteLock::take(*write_turn_, db_.path(), db_.busy_timeout_ms());
}

void SqliteStore::checkpoint_if_due() {
  if (wal_pages_ < kCheckpointPages) return;
  wal_pages_ = 0;
  // PASSIVE: copies what no reader still needs, never waits, and lets writers go on. A checkpoint
  // that cannot finish now is no fault: the next one, or closing the database, takes it further.
  sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

bool SqliteStore::has_schema() {
  Statement s(db_,
              "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='snapdelta_state'");
  s.step();
  return s.int64(0) > 0;
}

int SqliteStore::schema_version() {
  Statement s(db_, "SELECT value FROM snapdelta_meta WHERE key='schema_version'");
  return s.step() ? std::atoi(s.text(0).c_str()) : 0;
}

void SqliteStore::ensure_schema() {
  ensure_base_schema();
  ensure_job_tables();
}

void SqliteStore::ensure_base_schema() {
  if (!has_schema()) {
    db_.exec(kSchema);
  } else if (const int v = schema_version(); v > kSchemaVersion) {
    fail(db_.path(),
         fmt::format("expected schema version {} or older, found version {} (a newer snapdelta "
                     "wrote this database)",
                     kSchemaVersion, v));
  } else if (v == kSchemaVersion) {
    return;
  }
  const int v = schema_version();
  if (v < 2) db_.exec(kSchemaV2);
  if (v < 3) db_.exec(kSchemaV3);
  Statement header(db_,
                   "SELECT count(*) FROM pragma_table_info('snapdelta_state') WHERE name='header'");
  header.step();
  if (header.int64(0) == 0) db_.exec(kAddHeader);
  db_.exec(kSchemaV4);
}

bool SqliteStore::table_exists(const std::string& name) {
  Statement s(db_, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?");
  s.bind(1, name);
  s.step();
  return s.int64(0) > 0;
}

std::optional<std::string> SqliteStore::served_job() {
  if (!has_schema()) return std::nullopt;
  std::optional<std::string> meta;
  Statement s(db_, "SELECT value FROM snapdelta_meta WHERE key=?");
  s.bind(1, kJobMetaKey);
  if (s.step()) meta = s.text(0);
  return snapdelta::served_job(meta, table_exists(kLegacyTable));
}

void SqliteStore::check_job() {
  if (const auto conflict = job_conflict(served_job(), *job_)) fail(db_.path(), *conflict);
}

void SqliteStore::create_job_tables() {
  for (const TableLayout& layout : layouts_) db_.exec(sqlite_create_sql(layout).c_str());
  Statement s(db_, "INSERT OR REPLACE INTO snapdelta_meta(key, value) VALUES (?, ?)");
  const std::string text = canonical(*job_);
  s.bind(1, kJobMetaKey).bind(2, text);
  s.step();
}

// The job is checked, and its tables made, in each write until one finds them all in place
// (a write that made them may yet roll back). Another job's tables are replaced here, inside the
// write, when allow_rebuild() said so.
void SqliteStore::ensure_job_tables() {
  if (job_ready_) return;
  const std::optional<std::string> served = served_job();
  if (const auto conflict = job_conflict(served, *job_)) {
    if (!rebuild_allowed_) fail(db_.path(), *conflict);
    replace_served_tables(*served);
  }
  bool complete = true;
  for (const TableLayout& layout : layouts_) complete = complete && table_exists(layout.name);
  Statement s(db_, "SELECT value FROM snapdelta_meta WHERE key=?");
  s.bind(1, kJobMetaKey);
  if (complete && s.step() && s.text(0) == canonical(*job_)) {
    job_ready_ = true;
    rebuild_pending_ = false;
    return;
  }
  create_job_tables();
}

// Drops the served job's tables and forgets every client's state and checkpoints (the run log
// and failures stay): each client is then recomputed from its newest drop.
void SqliteStore::replace_served_tables(const std::string& served) {
  for (const std::string& name : served_tables(served)) {
    db_.exec(("DROP TABLE IF EXISTS " + quoted(name)).c_str());
  }
  db_.exec("DELETE FROM snapdelta_state; DELETE FROM snapdelta_checkpoint;");
}

void SqliteStore::allow_rebuild() {
  rebuild_allowed_ = true;
  rebuild_pending_ = job_conflict(served_job(), *job_).has_value();
}

namespace {

class SqliteWriteMark : public WriteMark {
 public:
  explicit SqliteWriteMark(SqliteDb& db) : savepoint_(db, "mark") {}
  void rollback() override { savepoint_.rollback(); }

 private:
  Savepoint savepoint_;
};

}  // namespace

class SqliteClientWrite : public ClientWrite {
 public:
  // A write of its own: the process's write turn, then the database's write lock.
  SqliteClientWrite(SqliteStore& store, std::string client)
      : store_(store), client_(std::move(client)), turn_(store.take_write_turn()) {
    tx_.emplace(store.db_);
    store_.ensure_schema();
  }
  // A member of a group (SqliteGroupWrite), which holds the lock: from a savepoint.
  SqliteClientWrite(SqliteStore& store, std::string client, const char* savepoint)
      : store_(store), client_(std::move(client)), savepoint_(savepoint) {
    store_.db_.exec(("SAVEPOINT " + savepoint_).c_str());
    // Another job's tables are replaced inside the member's savepoint: undone if it fails.
    if (store_.rebuild_pending_) store_.ensure_schema();
  }
  ~SqliteClientWrite() override {
    if (savepoint_.empty() || kept_) return;
    // Undone back to the savepoint; should SQLite have ended the whole transaction (a disk
    // fault), the group's commit fails instead.
    const std::string undo = "ROLLBACK TO " + savepoint_ + "; RELEASE " + savepoint_;
    sqlite3_exec(store_.db_.handle(), undo.c_str(), nullptr, nullptr, nullptr);
  }
  std::optional<ClientState> load_state() override { return store_.load_state(client_); }
  std::optional<ClientState> load_progress() override { return store_.load_progress(client_); }
  void replace_groups(const JobGroups& groups) override {
    store_.replace_client_groups(client_, groups);
  }
  uint64_t add_groups(const JobGroups& groups) override {
    return store_.add_client_groups(client_, groups);
  }
  void save_state(const ClientState& state) override {
    if (state.client != client_) {
      throw Error(fmt::format("{}: expected the state of client {}, found one of {}",
                              store_.describe(), client_, state.client));
    }
    store_.save_state(state);
  }
  std::unique_ptr<WriteMark> mark() override {
    return std::make_unique<SqliteWriteMark>(store_.db_);
  }
  void log_run(const RunLogEntry& entry) override { store_.log_run(entry); }
  void commit() override {
    if (!savepoint_.empty()) {
      store_.db_.exec(("RELEASE " + savepoint_).c_str());
      kept_ = true;
      return;
    }
    tx_->commit();
    turn_.unlock();  // the next writer of this process goes on while this one checkpoints
    store_.checkpoint_if_due();
  }

 private:
  SqliteStore& store_;
  std::string client_;
  std::unique_lock<std::timed_mutex> turn_;  // released after tx_ ends
  std::optional<WriteTransaction> tx_;       // a write of its own
  std::string savepoint_;                    // a group's member
  bool kept_ = false;
};

// One transaction, under the process's write turn and the database's write lock, for several
// clients; the whole database is locked, so no client is ever held by another writer here.
class SqliteGroupWrite : public GroupWrite {
 public:
  SqliteGroupWrite(SqliteStore& store, std::unique_lock<std::timed_mutex> turn, SqliteDb& db)
      : store_(store), turn_(std::move(turn)), tx_(db) {}
  std::unique_ptr<ClientWrite> try_add(const std::string& client) override {
    // A fault that made SQLite end the transaction (disk full, I/O) ends the group: its clients
    // were undone with it, and a savepoint now would start a transaction of its own.
    if (sqlite3_get_autocommit(store_.db_.handle())) {
      fail(store_.describe(), "expected the group's transaction open, found it ended by a fault");
    }
    return std::make_unique<SqliteClientWrite>(store_, client, "snapdelta_client");
  }
  void commit() override {
    tx_.commit();
    turn_.unlock();
    store_.checkpoint_if_due();
    // The pages the group wrote are its clients', not read again by this sync: without this the
    // connection's cache would grow with the database, up to cache_size.
    sqlite3_db_release_memory(store_.db_.handle());
  }

 private:
  SqliteStore& store_;
  std::unique_lock<std::timed_mutex> turn_;  // released after tx_ ends
  WriteTransaction tx_;
};

std::unique_ptr<GroupWrite> SqliteStore::begin_group() {
  auto group = std::make_unique<SqliteGroupWrite>(*this, take_write_turn(), db_);
  if (rebuild_pending_) {
    ensure_base_schema();  // the members replace the old job's tables, each in its savepoint
  } else {
    ensure_schema();
  }
  return group;
}

void SqliteStore::init() {
  auto turn = take_write_turn();
  WriteTransaction tx(db_);
  ensure_base_schema();
  if (!rebuild_pending_) ensure_job_tables();  // else the first client write replaces them
  tx.commit();
}

void SqliteStore::require_schema() {
  if (!has_schema() || schema_version() != kSchemaVersion) init();
}

std::unique_ptr<ClientWrite> SqliteStore::begin_write(const std::string& client) {
  return std::make_unique<SqliteClientWrite>(*this, client);
}

// SQLite has one write lock for the whole database, held only for a write: wait for it.
std::unique_ptr<ClientWrite> SqliteStore::try_begin_write(const std::string& client) {
  return begin_write(client);
}

void SqliteStore::log_run(const RunLogEntry& e) {
  Statement s(db_,
              "INSERT INTO snapdelta_runs(client_id, day, file, mode, path, rows_in_file, "
              "rows_processed, groups_written, total_ms, finished_at, host, pid) VALUES "
              "(?,?,?,?,?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%fZ','now'),?,?)");
  s.bind(1, e.client).bind(2, static_cast<int64_t>(e.day)).bind(3, e.file);
  s.bind(4, to_string(e.mode));
  s.bind(5, e.path).bind(6, as_i64(e.rows_in_file)).bind(7, as_i64(e.rows_processed));
  s.bind(8, as_i64(e.groups_written)).bind_real(9, e.total_ms).bind(10, e.host).bind(11, e.pid);
  s.step();
  // An applied run clears the client's standing failures, in the run's own transaction.
  Statement clear(db_,
                  "UPDATE snapdelta_failures SET cleared_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                  "WHERE client_id = ? AND cleared_at IS NULL");
  clear.bind(1, e.client);
  clear.step();
}

void SqliteStore::record_failure(const FailureRecord& f) {
  auto turn = take_write_turn();
  WriteTransaction tx(db_);
  ensure_base_schema();  // a failure never makes or replaces the job's tables
  Statement s(db_,
              "INSERT INTO snapdelta_failures(client_id, day, file, error, failed_at, host, pid) "
              "VALUES (?,?,?,?,strftime('%Y-%m-%dT%H:%M:%fZ','now'),?,?)");
  s.bind(1, f.client).bind(2, static_cast<int64_t>(f.day)).bind(3, f.file).bind(4, f.error);
  s.bind(5, f.host).bind(6, f.pid);
  s.step();
  tx.commit();
}

std::vector<FailureRecord> SqliteStore::failures(const std::string& client) {
  std::vector<FailureRecord> out;
  if (!has_schema() || schema_version() < 3) return out;
  Statement s(db_,
              "SELECT client_id, day, file, error, failed_at, coalesce(cleared_at, ''), host, pid "
              "FROM snapdelta_failures WHERE ?1 = '' OR client_id = ?1 ORDER BY failed_at, rowid");
  s.bind(1, client);
  while (s.step()) {
    out.push_back(FailureRecord{s.text(0), static_cast<int>(s.int64(1)), s.text(2), s.text(3),
                                s.text(4), s.text(5), s.text(6), s.int64(7)});
  }
  return out;
}

std::vector<RunLogEntry> SqliteStore::runs(const std::string& client) {
  std::vector<RunLogEntry> out;
  if (!has_schema() || schema_version() < 2) return out;
  Statement s(db_,
              "SELECT client_id, day, file, mode, path, rows_in_file, rows_processed, "
              "groups_written, total_ms, finished_at, host, pid FROM snapdelta_runs "
              "WHERE ?1 = '' OR client_id = ?1 ORDER BY finished_at, rowid");
  s.bind(1, client);
  while (s.step()) {
    RunLogEntry e;
    e.client = s.text(0);
    e.day = static_cast<int>(s.int64(1));
    e.file = s.text(2);
    e.mode = parse_run_mode(s.text(3)).value_or(RunMode::incremental);
    e.path = s.text(4);
    e.rows_in_file = as_u64(s.int64(5));
    e.rows_processed = as_u64(s.int64(6));
    e.groups_written = as_u64(s.int64(7));
    e.total_ms = s.real(8);
    e.finished_at = s.text(9);
    e.host = s.text(10);
    e.pid = s.int64(11);
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<ClientState> SqliteStore::load_state(const std::string& client) {
  std::optional<ClientState> st = load_progress(client);
  if (st) load_checkpoints(*st);
  return st;
}

// The schema's version, or nullopt when there is none. A committed schema at kSchemaVersion
// stays so (an older snapdelta cannot downgrade it, a newer one's is refused), so that answer is
// kept rather than asked again for every client; one read inside a transaction is not kept, as
// the transaction may yet undo the schema it made.
std::optional<int> SqliteStore::state_version() {
  if (schema_current_) return kSchemaVersion;
  if (!has_schema()) return std::nullopt;
  const int v = schema_version();
  schema_current_ = v == kSchemaVersion && sqlite3_get_autocommit(db_.handle()) != 0;
  return v;
}

std::optional<ClientState> SqliteStore::load_progress(const std::string& client) {
  if (rebuild_pending_) return std::nullopt;  // another job's state: recomputed from scratch
  const std::optional<int> version = state_version();
  if (!version) return std::nullopt;
  Statement s(db_, *version >= 4
                       ? "SELECT day, file, rows, lines, bytes, crc32, unterminated, groups, mode, "
                         "updated_at, segments, header FROM snapdelta_state WHERE client_id=?"
                       : "SELECT day, file, rows, lines, bytes, crc32, unterminated, groups, mode, "
                         "updated_at, segments, '' FROM snapdelta_state WHERE client_id=?");
  s.bind(1, client);
  if (!s.step()) return std::nullopt;
  ClientState st;
  st.client = client;
  st.day = static_cast<int>(s.int64(0));
  st.file = s.text(1);
  st.rows = as_u64(s.int64(2));
  st.lines = as_u64(s.int64(3));
  st.bytes = as_u64(s.int64(4));
  st.crc32 = static_cast<uint32_t>(s.int64(5));
  st.unterminated = s.int64(6) != 0;
  st.groups = as_u64(s.int64(7));
  st.mode = parse_run_mode(s.text(8)).value_or(RunMode::incremental);
  st.updated_at = s.text(9);
  st.segments = unpack_segments(s.blob(10));
  st.header = s.text(11);
  return st;
}

void SqliteStore::load_checkpoints(ClientState& st) {
  Statement c(db_,
              "SELECT in_byte, bits, low_bits, compressed_hash, out_offset, tail_hash, window FROM "
              "snapdelta_checkpoint WHERE client_id=? ORDER BY seq");
  c.bind(1, st.client);
  while (c.step()) {
    StoredCheckpoint cp;
    cp.in_byte = as_u64(c.int64(0));
    cp.bits = static_cast<int>(c.int64(1));
    cp.low_bits = static_cast<uint8_t>(c.int64(2));
    cp.compressed_hash = as_u64(c.int64(3));
    cp.out_offset = as_u64(c.int64(4));
    cp.tail_hash = as_u64(c.int64(5));
    cp.window = c.blob(6);
    if (cp.bits < 0 || cp.bits > 7) continue;
    st.checkpoints.push_back(std::move(cp));
  }
}

std::vector<ClientState> SqliteStore::all_states() {
  std::vector<ClientState> out;
  if (!has_schema() || rebuild_pending_) return out;
  std::vector<std::string> clients;
  {
    Statement s(db_, "SELECT client_id FROM snapdelta_state ORDER BY client_id");
    while (s.step()) clients.push_back(s.text(0));
  }
  for (const auto& c : clients) out.push_back(*load_state(c));
  return out;
}

void SqliteStore::save_state(const ClientState& st) {
  const std::string segments = pack_segments(st.segments);
  Statement s(
      db_,
      "INSERT OR REPLACE INTO snapdelta_state(client_id, day, file, rows, lines, bytes, crc32, "
      "unterminated, groups, mode, updated_at, segments, header) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%fZ','now'),?,?)");
  s.bind(1, st.client)
      .bind(2, static_cast<int64_t>(st.day))
      .bind(3, st.file)
      .bind(4, as_i64(st.rows));
  s.bind(5, as_i64(st.lines)).bind(6, as_i64(st.bytes)).bind(7, static_cast<int64_t>(st.crc32));
  s.bind(8, static_cast<int64_t>(st.unterminated))
      .bind(9, as_i64(st.groups))
      .bind(10, to_string(st.mode));
  s.bind_blob(11, segments.data(), segments.size());
  s.bind(12, st.header);
  s.step();
  save_checkpoints(st);
}

void SqliteStore::save_checkpoints(const ClientState& st) {
  Statement del(db_, "DELETE FROM snapdelta_checkpoint WHERE client_id=?");
  del.bind(1, st.client);
  del.step();
  Statement ins(
      db_,
      "INSERT INTO snapdelta_checkpoint(client_id, seq, in_byte, bits, low_bits, compressed_hash, "
      "out_offset, tail_hash, window) VALUES (?,?,?,?,?,?,?,?,?)");
  int64_t seq = 0;
  for (const auto& cp : st.checkpoints) {
    const std::string& window = cp.window;
    ins.bind(1, st.client)
        .bind(2, seq++)
        .bind(3, as_i64(cp.in_byte))
        .bind(4, static_cast<int64_t>(cp.bits));
    ins.bind(5, static_cast<int64_t>(cp.low_bits)).bind(6, as_i64(cp.compressed_hash));
    ins.bind(7, as_i64(cp.out_offset)).bind(8, as_i64(cp.tail_hash));
    ins.bind_blob(9, window.data(), window.size());
    ins.step();
    ins.reset();
  }
}

void SqliteStore::replace_client_groups(const std::string& client, const JobGroups& groups) {
  for (size_t t = 0; t < layouts_.size(); ++t) {
    const std::string del = "DELETE FROM " + quoted(layouts_[t].name) + " WHERE client_id=?";
    Statement s(db_, del.c_str());
    s.bind(1, client);
    s.step();
    sqlite_write_groups(db_, layouts_[t], groups, t, client, RowMerge::insert, merged_rows_);
  }
}

// In a savepoint: an overflow (the CHECK on sums) undoes every table's merge, then is named.
uint64_t SqliteStore::add_client_groups(const std::string& client, const JobGroups& groups) {
  Savepoint before(db_, "snapdelta_add");
  uint64_t added = 0;
  size_t t = 0;
  try {
    for (; t < layouts_.size(); ++t) {
      added +=
          sqlite_write_groups(db_, layouts_[t], groups, t, client, RowMerge::merge, merged_rows_);
    }
  } catch (const Error& e) {
    before.rollback();
    if (std::string_view(e.what()).find("CHECK constraint failed") == std::string_view::npos) {
      throw;
    }
    const std::string where = merge_overflow(groups, t, table_rows(client, t));
    if (where.empty()) throw;
    throw SumOverflow(fmt::format("{}: {}", db_.path(), overflow_message(where)));
  }
  db_.exec("RELEASE snapdelta_add");
  return added;
}

std::vector<TableRow> SqliteStore::table_rows(const std::string& client, size_t table) {
  if (!has_schema() || !table_exists(layouts_.at(table).name)) return {};
  return sqlite_table_rows(db_, layouts_[table], client);
}

}  // namespace snapdelta
