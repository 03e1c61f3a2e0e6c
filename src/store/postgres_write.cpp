#include "store/postgres_write.h"

#include <fmt/format.h>

#include "common/error.h"
#include "store/merge_overflow.h"
#include "store/pg_copy.h"
#include "store/pg_job_schema.h"
#include "store/postgres_schema.h"
#include "store/postgres_store.h"
#include "store/segment_codec.h"

namespace snapdelta {
namespace {

// Row lock on the state row, without waiting for a holder: how many rows were locked and
// whether the row exists at all (a held row exists but is not locked).
const char* kTryRowLock =
    "WITH l AS (SELECT 1 FROM snapdelta_state WHERE client_id = $1 FOR UPDATE SKIP LOCKED) "
    "SELECT (SELECT count(*) FROM l), EXISTS (SELECT 1 FROM snapdelta_state WHERE client_id = $1)";
const char* kRowLock = "SELECT 1 FROM snapdelta_state WHERE client_id = $1 FOR UPDATE";
// Advisory lock keys: namespace 's','n','d','c' and the client's hash.
const char* kClientLock = "SELECT pg_advisory_xact_lock(1936614499, hashtext($1))";
const char* kTryClientLock = "SELECT pg_try_advisory_xact_lock(1936614499, hashtext($1))";

const char* kSaveState =
    "INSERT INTO snapdelta_state(client_id, day, file, rows, lines, bytes, crc32, unterminated, "
    "groups, mode, updated_at, segments, header) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, clock_timestamp(), $11, $12) "
    "ON CONFLICT (client_id) DO UPDATE SET day = excluded.day, file = excluded.file, "
    "rows = excluded.rows, lines = excluded.lines, bytes = excluded.bytes, "
    "crc32 = excluded.crc32, unterminated = excluded.unterminated, groups = excluded.groups, "
    "mode = excluded.mode, updated_at = excluded.updated_at, segments = excluded.segments, "
    "header = excluded.header";

int64_t as_i64(uint64_t v) { return static_cast<int64_t>(v); }

class PostgresMark : public WriteMark {
 public:
  explicit PostgresMark(PgConn& conn) : conn_(conn) {
    conn_.exec("SAVEPOINT snapdelta_mark", "cannot set a savepoint");
  }
  void rollback() override {
    conn_.exec("ROLLBACK TO SAVEPOINT snapdelta_mark", "cannot roll back to a savepoint");
  }

 private:
  PgConn& conn_;
};

}  // namespace

PostgresWrite::PostgresWrite(PostgresStore& store, PgConn& conn, std::string client, bool member)
    : store_(store), conn_(conn), client_(std::move(client)), member_(member) {}

std::unique_ptr<ClientWrite> PostgresWrite::begin(PostgresStore& store, PgConn& conn,
                                                  const std::string& client, Claim claim,
                                                  int busy_timeout_ms) {
  conn.exec("BEGIN", "cannot begin a transaction");
  std::unique_ptr<PostgresWrite> w(new PostgresWrite(store, conn, client, false));
  store.ensure_ready();
  if (!w->claim(claim, busy_timeout_ms)) return nullptr;  // rolls back
  return w;
}

std::unique_ptr<ClientWrite> PostgresWrite::begin_member(PostgresStore& store, PgConn& conn,
                                                         const std::string& client,
                                                         int busy_timeout_ms) {
  conn.exec("SAVEPOINT snapdelta_client", "cannot set a savepoint");
  std::unique_ptr<PostgresWrite> w(new PostgresWrite(store, conn, client, true));
  // Another job's tables are replaced inside the member's savepoint: undone if it fails.
  if (store.rebuild_pending()) store.ensure_ready();
  if (!w->claim(Claim::skip_if_held, busy_timeout_ms)) return nullptr;  // rolls back to it
  return w;
}

// See the header for why the advisory lock is taken only without a row, and the row looked for
// again after it.
bool PostgresWrite::claim(Claim claim, int busy_timeout_ms) {
  const PgParams who = PgParams().text(client_);
  try {
    if (claim == Claim::wait) {
      if (conn_.query(kRowLock, who, "cannot lock the client's state").rows() > 0) return true;
      conn_.query(kClientLock, who, "cannot lock the client");
      conn_.query(kRowLock, who, "cannot lock the client's state");
      return true;
    }
    auto try_row = [&] {
      const PgResult r = conn_.query(kTryRowLock, who, "cannot lock the client's state");
      return std::pair{r.int64(0, 0) > 0, r.boolean(0, 1)};
    };
    if (auto [locked, exists] = try_row(); locked || exists) return locked;
    if (!conn_.query(kTryClientLock, who, "cannot lock the client").boolean(0, 0)) return false;
    const auto [locked, exists] = try_row();
    return locked || !exists;
  } catch (const Error&) {
    if (conn_.sqlstate() != "55P03") throw;  // lock_not_available: the lock timeout passed
    fail(conn_.describe(), fmt::format("expected the write lock of client {} within {} ms, found "
                                       "it still held by another writer",
                                       client_, busy_timeout_ms));
  }
}

PostgresWrite::~PostgresWrite() {
  if (!open_) return;
  try {
    conn_.exec(member_
                   ? "ROLLBACK TO SAVEPOINT snapdelta_client; RELEASE SAVEPOINT snapdelta_client"
                   : "ROLLBACK",
               "cannot roll back");
  } catch (const Error&) {
    // A broken connection: the server rolls the transaction back when it notices.
  }
}

std::optional<ClientState> PostgresWrite::load_state() { return store_.load_state(client_); }
std::optional<ClientState> PostgresWrite::load_progress() { return store_.load_progress(client_); }

void PostgresWrite::replace_groups(const JobGroups& groups) {
  const std::vector<TableLayout>& layouts = store_.layouts();
  for (size_t t = 0; t < layouts.size(); ++t) {
    const std::string del = "DELETE FROM " + quoted(layouts[t].name) + " WHERE client_id = $1";
    conn_.query(del.c_str(), PgParams().text(client_), "cannot delete the client's rows");
    conn_.copy_in(pg_copy_sql(layouts[t]).c_str(),
                  binary_copy_of(groups, t, layouts[t], ClientColumn::included, client_),
                  "cannot write the client's rows");
  }
}

uint64_t PostgresWrite::add_groups(const JobGroups& groups) {
  const std::vector<TableLayout>& layouts = store_.layouts();
  uint64_t added = 0;
  size_t t = 0;
  try {
    for (; t < layouts.size(); ++t) {
      const std::string delta =
          (t == 0 ? "SAVEPOINT snapdelta_add; " : "") + pg_delta_sql(layouts[t], t);
      conn_.exec(delta.c_str(), "cannot prepare the delta table");
      conn_.copy_in(("COPY " + pg_delta_name(t) + " FROM STDIN (FORMAT binary)").c_str(),
                    binary_copy_of(groups, t, layouts[t], ClientColumn::omitted, client_),
                    "cannot copy the delta");
      const std::string merge = pg_merge_sql(layouts[t], t);
      added += static_cast<uint64_t>(
          conn_.query(merge.c_str(), PgParams().text(client_), "cannot add the rows").int64(0, 0));
    }
  } catch (const Error&) {
    if (conn_.sqlstate() != "22003") throw;  // numeric_value_out_of_range
    conn_.exec("ROLLBACK TO SAVEPOINT snapdelta_add", "cannot roll back to a savepoint");
    const std::string where = merge_overflow(groups, t, store_.table_rows(client_, t));
    if (where.empty()) throw;
    throw SumOverflow(fmt::format("{}: {}", conn_.describe(), overflow_message(where)));
  }
  return added;
}

void PostgresWrite::save_state(const ClientState& st) {
  if (st.client != client_) {
    fail(conn_.describe(),
         fmt::format("expected the state of client {}, found one of {}", client_, st.client));
  }
  PgParams p;
  p.text(st.client).int64(st.day).text(st.file).int64(as_i64(st.rows)).int64(as_i64(st.lines));
  p.int64(as_i64(st.bytes)).int64(st.crc32).text(st.unterminated ? "t" : "f");
  p.int64(as_i64(st.groups)).text(to_string(st.mode)).binary(pack_segments(st.segments));
  p.text(st.header);
  conn_.query(kSaveState, p, "cannot save the state");
  save_checkpoints(st);
}

void PostgresWrite::save_checkpoints(const ClientState& st) {
  conn_.query("DELETE FROM snapdelta_checkpoint WHERE client_id = $1", PgParams().text(client_),
              "cannot replace the checkpoints");
  if (st.checkpoints.empty()) return;
  std::string sql =
      "INSERT INTO snapdelta_checkpoint(client_id, seq, in_byte, bits, low_bits, "
      "compressed_hash, out_offset, tail_hash, \"window\") VALUES ";
  PgParams p;
  p.text(client_);
  for (size_t i = 0; i < st.checkpoints.size(); ++i) {
    const StoredCheckpoint& cp = st.checkpoints[i];
    const size_t b = p.size() + 1;
    sql += fmt::format("{}($1, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})", i ? ", " : "", b, b + 1,
                       b + 2, b + 3, b + 4, b + 5, b + 6, b + 7);
    p.int64(static_cast<int64_t>(i)).int64(as_i64(cp.in_byte)).int64(cp.bits);
    p.int64(cp.low_bits).int64(as_i64(cp.compressed_hash)).int64(as_i64(cp.out_offset));
    p.int64(as_i64(cp.tail_hash)).binary(cp.window);
  }
  conn_.query(sql.c_str(), p, "cannot save the checkpoints");
}

void PostgresWrite::log_run(const RunLogEntry& e) {
  PgParams p;
  p.text(e.client).int64(e.day).text(e.file).text(to_string(e.mode)).text(e.path);
  p.int64(as_i64(e.rows_in_file)).int64(as_i64(e.rows_processed));
  p.int64(as_i64(e.groups_written)).text(fmt::format("{}", e.total_ms)).text(e.host).int64(e.pid);
  conn_.query(
      "INSERT INTO snapdelta_runs(client_id, day, file, mode, path, rows_in_file, rows_processed, "
      "groups_written, total_ms, finished_at, host, pid) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, clock_timestamp(), $10, $11)",
      p, "cannot log the run");
  // An applied run clears the client's standing failures, in the run's own transaction.
  conn_.query(
      "UPDATE snapdelta_failures SET cleared_at = clock_timestamp() "
      "WHERE client_id = $1 AND cleared_at IS NULL",
      PgParams().text(e.client), "cannot clear the client's failures");
}

std::unique_ptr<WriteMark> PostgresWrite::mark() { return std::make_unique<PostgresMark>(conn_); }

void PostgresWrite::commit() {
  // COMMIT of a transaction a failed statement aborted answers ROLLBACK, not an error.
  if (conn_.in_failed_transaction()) {
    fail(conn_.describe(), "expected a transaction to commit, found one a failure aborted");
  }
  conn_.exec(member_ ? "RELEASE SAVEPOINT snapdelta_client" : "COMMIT", "cannot commit");
  open_ = false;
}

}  // namespace snapdelta
