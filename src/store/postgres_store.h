// PostgresStore: the Store (store.h) in a PostgreSQL database, through libpq (loaded on first
// use), one connection per store object.
// Contract: the tables and their meaning are SQLite's (postgres_schema.h). begin_write(client)
// opens one transaction and claims the client by locking its snapdelta_state row (SELECT ... FOR
// UPDATE); other clients' writers run in parallel. try_begin_write(client) returns nullptr at
// once when another connection holds the client. The lock is the transaction's: a killed worker
// leaves nothing and holds nothing (the server aborts its transaction). begin_write creates the
// schema when missing; init() creates it alone, so roles without CREATE can run writers after it.
// begin_group() opens one transaction whose clients are claimed the same way, each from a
// savepoint (postgres_group.h). One write (or group) at a time per store object; describe() is the
// URI without its password.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "job/builtin_job.h"
#include "job/job.h"
#include "store/pg_conn.h"
#include "store/store.h"
#include "store/table_layout.h"

namespace snapdelta {

class PostgresStore : public Store {
 public:
  // `job` must outlive the store.
  PostgresStore(const std::string& uri, int busy_timeout_ms = 60000,
                const Job& job = builtin_job());

  const std::string& describe() const override { return conn_.describe(); }
  std::unique_ptr<ClientWrite> begin_write(const std::string& client) override;
  std::unique_ptr<ClientWrite> try_begin_write(const std::string& client) override;
  std::unique_ptr<GroupWrite> begin_group() override;
  std::optional<ClientState> load_state(const std::string& client) override;
  std::optional<ClientState> load_progress(const std::string& client) override;
  std::vector<ClientState> all_states() override;
  std::vector<TableRow> table_rows(const std::string& client, size_t table) override;
  std::vector<RunLogEntry> runs(const std::string& client) override;
  void record_failure(const FailureRecord& failure) override;
  std::vector<FailureRecord> failures(const std::string& client) override;

  // Creates the schema when it is missing (idempotent; refuses a newer version).
  void init();
  // The schema at this version: init() when it is missing or older (a newer one is refused); a
  // store that cannot be read fails here.
  void require_schema();
  // Fails with job_conflict()'s line when the database serves another job (reads only).
  void check_job();
  // JobChange::rebuild (open_store.h): as SqliteStore::allow_rebuild(), another job's tables are
  // replaced by the first client write that lands, inside its transaction or member savepoint;
  // until then every client's state reads as none.
  void allow_rebuild();
  // Whether a rebuild is allowed and this connection last saw another job served.
  bool rebuild_pending() const { return rebuild_pending_; }

  // For PostgresWrite, inside its transaction: the schema at this version, the job checked and
  // its tables made. Once a check on this connection found everything in place (made by no
  // transaction that may yet roll back), one round trip re-checks the schema version and the
  // served job: a concurrent upgrade or job rebuild is still seen, at a fraction of the cost.
  void ensure_ready();
  const std::vector<TableLayout>& layouts() const { return layouts_; }

 private:
  bool has_schema();
  // The schema version: kPgSchemaVersion while ready_, else read (two round trips).
  int schema_version();
  const Job* job_;
  std::string canonical_job_;
  std::vector<TableLayout> layouts_;
  bool ready_ = false;  // a check on this connection found everything in place
  bool rebuild_allowed_ = false;
  bool rebuild_pending_ = false;
  PgConn conn_;
  int busy_timeout_ms_;
};

}  // namespace snapdelta
