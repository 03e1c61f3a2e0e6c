// PostgresWrite: one ClientWrite on PostgreSQL — a transaction on the store's connection that
// holds one client's claim, from begin() to commit() or destruction (ROLLBACK).
// Contract: begin() opens the transaction, makes sure the schema is there and claims the client:
// its state row is locked with SELECT ... FOR UPDATE (Claim::wait, up to lock_timeout) or
// FOR UPDATE SKIP LOCKED (Claim::skip_if_held: begin() returns nullptr when another connection
// holds it). A client with no state row yet is claimed with a transaction-scoped advisory lock
// on hashtext(client), taken by every writer that finds no row; after taking it the writer looks
// for the row again, because a holder that just committed has created it. So once a row exists
// its lock decides, and before that the advisory lock does; both end with the transaction.
// add_groups() copies each table's delta into a temporary table (binary COPY) and merges it with
// one INSERT ... ON CONFLICT DO UPDATE, counting new keys from the same statement, for every
// table of the store's job (pg_job_schema.h); it sets a savepoint first, so a bigint overflow is
// undone and then named (merge_overflow.h). replace_groups() deletes the client's rows and copies
// the new ones straight into each table.
// mark() is a SAVEPOINT.
// begin_member() is the same claim inside a group's open transaction (postgres_group.h), from a
// savepoint: commit() releases it, destruction without commit() rolls back to it (a row lock taken
// after it is released with it; an advisory lock stays until the group ends).
#pragma once

#include <memory>
#include <string>

#include "store/pg_conn.h"
#include "store/store.h"

namespace snapdelta {

class PostgresStore;

enum class Claim { wait, skip_if_held };

class PostgresWrite : public ClientWrite {
 public:
  // nullptr when `claim` is skip_if_held and another connection holds the client.
  static std::unique_ptr<ClientWrite> begin(PostgresStore& store, PgConn& conn,
                                            const std::string& client, Claim claim,
                                            int busy_timeout_ms);
  // nullptr when another connection holds the client (the savepoint undone).
  static std::unique_ptr<ClientWrite> begin_member(PostgresStore& store, PgConn& conn,
                                                   const std::string& client, int busy_timeout_ms);
  ~PostgresWrite() override;

  std::optional<ClientState> load_state() override;
  std::optional<ClientState> load_progress() override;
  void replace_groups(const JobGroups& groups) override;
  uint64_t add_groups(const JobGroups& groups) override;
  void save_state(const ClientState& state) override;
  void log_run(const RunLogEntry& entry) override;
  std::unique_ptr<WriteMark> mark() override;
  void commit() override;

 private:
  PostgresWrite(PostgresStore& store, PgConn& conn, std::string client, bool member);
  bool claim(Claim claim, int busy_timeout_ms);
  void save_checkpoints(const ClientState& state);
  PostgresStore& store_;
  PgConn& conn_;
  std::string client_;
  bool member_;  // inside a group's transaction, from a savepoint
  bool open_ = true;
};

}  // namespace snapdelta
