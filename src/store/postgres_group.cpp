#include "store/postgres_group.h"

#include "common/error.h"
#include "store/postgres_store.h"
#include "store/postgres_write.h"

namespace snapdelta {

std::unique_ptr<GroupWrite> PostgresGroupWrite::begin(PostgresStore& store, PgConn& conn,
                                                      int busy_timeout_ms) {
  conn.exec("BEGIN", "cannot begin a transaction");
  std::unique_ptr<PostgresGroupWrite> g(new PostgresGroupWrite(store, conn, busy_timeout_ms));
  // Another job's tables are replaced by a member, inside its savepoint (postgres_write.cpp).
  if (!store.rebuild_pending()) store.ensure_ready();
  return g;
}

PostgresGroupWrite::~PostgresGroupWrite() {
  if (!open_) return;
  try {
    conn_.exec("ROLLBACK", "cannot roll back");
  } catch (const Error&) {
    // A broken connection: the server rolls the transaction back when it notices.
  }
}

std::unique_ptr<ClientWrite> PostgresGroupWrite::try_add(const std::string& client) {
  return PostgresWrite::begin_member(store_, conn_, client, busy_timeout_ms_);
}

void PostgresGroupWrite::commit() {
  // COMMIT of a transaction a failed statement aborted answers ROLLBACK, not an error.
  if (conn_.in_failed_transaction()) {
    fail(conn_.describe(), "expected a group's transaction to commit, found one a failure aborted");
  }
  conn_.exec("COMMIT", "cannot commit");
  open_ = false;
}

}  // namespace snapdelta
