// PostgresGroupWrite: the GroupWrite (store.h) on PostgreSQL — one transaction on the store's
// connection in which several clients are claimed and written, each from a savepoint
// (PostgresWrite::begin_member), and committed at once.
// Contract: begin() opens the transaction and makes sure the schema and the job's tables are
// there. try_add(client) claims the client as try_begin_write() does (nullptr at once when another
// connection holds it); a claimed client's row lock is the group's until it ends, so another
// writer passes over it meanwhile. commit() fails, keeping nothing, when a failure aborted the
// transaction outside a member's savepoint; destruction without commit() rolls everything back.
#pragma once

#include <memory>
#include <string>

#include "store/pg_conn.h"
#include "store/store.h"

namespace snapdelta {

class PostgresStore;

class PostgresGroupWrite : public GroupWrite {
 public:
  static std::unique_ptr<GroupWrite> begin(PostgresStore& store, PgConn& conn, int busy_timeout_ms);
  ~PostgresGroupWrite() override;
  std::unique_ptr<ClientWrite> try_add(const std::string& client) override;
  void commit() override;

 private:
  PostgresGroupWrite(PostgresStore& store, PgConn& conn, int busy_timeout_ms)
      : store_(store), conn_(conn), busy_timeout_ms_(busy_timeout_ms) {}
  PostgresStore& store_;
  PgConn& conn_;
  int busy_timeout_ms_;
  bool open_ = true;
};

}  // namespace snapdelta
