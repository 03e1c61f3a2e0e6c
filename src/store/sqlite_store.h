// SqliteStore: the Store (store.h) in one SQLite database file.
// Contract: one table per job table (sqlite_job_schema.h; the built-in job's is
// processed_sales(client_id, transaction_date 'YYYY-MM-DD', sku_id, total_quantity,
// total_revenue_cents, total_revenue REAL = cents/100.0 generated from the exact integer cents,
// order_count) keyed by (client_id, transaction_date, sku_id)); snapdelta_meta keeps the schema
// version and the job (job_meta.h); snapdelta_state and
// snapdelta_checkpoint hold each client's state; snapdelta_runs logs every applied run;
// snapdelta_failures keeps failed attempts (store.h).
// begin_write() and begin_group() take SQLite's one write lock (BEGIN IMMEDIATE, waiting up to the
// busy timeout) before anything is read, so a client's writers serialize, and create the schema if
// missing; a newer schema version is refused. A group's members are savepoints in its transaction;
// its connection drops its page cache after each group. Writers of one file in this process queue
// on a mutex first (process_write_lock.h). WAL journal, synchronous=NORMAL: a crash leaves the last
// committed transaction. The log is copied into the database (a passive checkpoint) after a
// client's write (or a group) once it holds kCheckpointPages pages, outside that writer's turn.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "job/builtin_job.h"
#include "job/job.h"
#include "store/client_state.h"
#include "store/open_store.h"
#include "store/sqlite_db.h"
#include "store/store.h"
#include "store/table_layout.h"

namespace snapdelta {

class SqliteClientWrite;
class SqliteGroupWrite;

class SqliteStore : public Store {
 public:
  static constexpr int kSchemaVersion = 4;
  // 64 MiB of 4 KiB pages. Each checkpoint costs two fsyncs and copies its pages once more, and a
  // sync's clients rewrite the same state, run-log and interior pages in every group: at SQLite's
  // default of 1000, an incremental sync of 2,000 small clients checkpointed ten times and spent
  // 15% of its wall time there. Closing the database checkpoints the rest.
  static constexpr int kCheckpointPages = 16384;
  static std::string library_version() { return sqlite3_libversion(); }

  // `job` must outlive the store.
  SqliteStore(const std::string& path, StoreOpen open, int busy_timeout_ms = 60000,
              const Job& job = builtin_job());

  const std::string& describe() const override { return db_.path(); }
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

  bool has_schema();
  int schema_version();
  // Creates the schema when missing, in a transaction of its own.
  void init();
  // The schema at this version: init() when it is missing or older (a newer one is refused); a
  // store that cannot be read fails here.
  void require_schema();
  // Fails with job_conflict()'s line when the database serves another job (reads only).
  void check_job();
  // JobChange::rebuild (open_store.h): when the database serves another job, the first client
  // write that lands replaces its tables inside its own transaction (or group member's
  // savepoint), so a write that fails leaves the old job's tables, states and rows as they were.
  // Until then this store reads every client's state as none (each is recomputed from its drop).
  void allow_rebuild();

 private:
  // The pieces a ClientWrite is made of: reachable only through SqliteClientWrite, inside its
  // WriteTransaction on db_.
  friend class SqliteClientWrite;
  friend class SqliteGroupWrite;
  // The in-process writers' mutex of this file, taken (up to the busy timeout) before db_'s lock.
  std::unique_lock<std::timed_mutex> take_write_turn();
  // A passive checkpoint when the log has grown past kCheckpointPages since the last one.
  void checkpoint_if_due();
  void ensure_schema();  // idempotent
  void ensure_base_schema();
  void ensure_job_tables();
  void create_job_tables();
  void replace_served_tables(const std::string& served);
  bool table_exists(const std::string& name);
  std::optional<std::string> served_job();
  void replace_client_groups(const std::string& client, const JobGroups& groups);
  uint64_t add_client_groups(const std::string& client, const JobGroups& groups);
  void save_state(const ClientState& state);
  void log_run(const RunLogEntry& entry);
  void save_checkpoints(const ClientState& state);
  std::optional<int> state_version();
  void load_checkpoints(ClientState& state);
  SqliteDb db_;
  std::shared_ptr<std::timed_mutex> write_turn_;
  const Job* job_;
  std::vector<TableLayout> layouts_;  // one per job table
  bool job_ready_ = false;            // a write found the job's tables and definition in place
  bool rebuild_allowed_ = false;      // allow_rebuild(): another job's tables may be replaced
  bool rebuild_pending_ = false;      // ... and the database served another job when last seen
  bool schema_current_ = false;       // a committed schema at kSchemaVersion was read
  int wal_pages_ = 0;                 // the log's size after the last commit (WAL hook)
  uint64_t merged_rows_ = 0;          // rows a merge found already present
};

}  // namespace snapdelta
