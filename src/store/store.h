// Store: where the aggregates and each client's state live. The pipeline, verify, status and the
// bench harness see only this interface; SqliteStore is one implementation, and a server store
// with its own transaction and lock semantics fits behind it without touching the plans.
// Contract:
// - begin_write(client) returns a ClientWrite holding that client's write lock, with the schema
//   present. Everything written through it commits together or not at all: destroying it without
//   commit() (an exception, a crash) leaves the store as it was. Two writers of one client
//   serialize; a store may lock more than the client (SQLite locks the whole database).
// - A ClientWrite's load_state() reads the state under the lock; Store::load_state() reads it
//   without one (a consistent snapshot, possibly outdated by the time it is used). Both have a
//   load_progress(): the same state without its checkpoints, enough for a fence.
// - mark() sets a point inside the write that rollback() returns to (the write stays open).
// - try_begin_write(client) is begin_write() that returns nullptr instead of waiting when another
//   writer holds that client; a store whose lock covers more than one client waits, as
//   begin_write() does, for a lock held by a writer of another client.
// - begin_group() opens one transaction for several clients (group commit; GroupWrite below),
//   taking the store's write lock as begin_write() does.
// - log_run() adds a row to the run log in the same transaction; runs() lists the log, oldest first
//   (one client's, or every client's for an empty name).
// - record_failure() adds a client's failed attempt to snapdelta_failures in a transaction of its
//   own (creating the schema when missing); log_run() also clears the client's standing failures
//   (in the run's transaction). failures() lists them, oldest first (one client's, or every
//   client's for an empty name), cleared ones included.
// - A store serves one job (open_store.h): replace_groups() deletes the client's rows in every
//   job table and inserts the groups; add_groups() merges them (sums and counts add, min/max keep
//   the extreme, a null gives way to a value) and returns how many groups were new keys, over all
//   tables. A sum that would leave int64 fails with "expected sums within 64-bit integers, found
//   an overflow in table T, group (k1, k2), measure M", having written nothing. table_rows()
//   reads a client's rows of job table `table` in key_less order (table_cells.h).
// - Every failure throws snapdelta::Error naming the store (describe()); nothing is half-written.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aggregate/job_groups.h"
#include "aggregate/table_cells.h"
#include "store/client_state.h"
#include "store/failure_record.h"
#include "store/run_log.h"

namespace snapdelta {

class WriteMark {
 public:
  virtual ~WriteMark() = default;
  virtual void rollback() = 0;
};

class ClientWrite {
 public:
  virtual ~ClientWrite() = default;
  virtual std::optional<ClientState> load_state() = 0;
  virtual std::optional<ClientState> load_progress() = 0;
  virtual void replace_groups(const JobGroups& groups) = 0;
  virtual uint64_t add_groups(const JobGroups& groups) = 0;
  // Replaces the client's state and checkpoints (state.client must be this write's client).
  virtual void save_state(const ClientState& state) = 0;
  virtual void log_run(const RunLogEntry& entry) = 0;
  virtual std::unique_ptr<WriteMark> mark() = 0;
  virtual void commit() = 0;
};

// GroupWrite: several clients' writes in one transaction. try_add(client) claims the client
// inside the group (nullptr, nothing changed, when another writer holds it, as try_begin_write)
// and returns its ClientWrite, opened at a savepoint: that write's commit() keeps its changes for
// the group, and destroying it without commit() returns the group to the savepoint (the client's
// rows, state and run-log row unchanged; a server store may keep the client's lock until the group
// ends). One member write at a time. commit() makes every kept client's changes durable at once;
// destroying the group without it (an exception, a crash) keeps none of them. A client claimed in
// a group stays claimed until the group ends.
class GroupWrite {
 public:
  virtual ~GroupWrite() = default;
  virtual std::unique_ptr<ClientWrite> try_add(const std::string& client) = 0;
  virtual void commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // The store as messages name it: a path, or a server address without its password.
  virtual const std::string& describe() const = 0;
  virtual std::unique_ptr<ClientWrite> begin_write(const std::string& client) = 0;
  virtual std::unique_ptr<ClientWrite> try_begin_write(const std::string& client) = 0;
  virtual std::unique_ptr<GroupWrite> begin_group() = 0;
  virtual std::optional<ClientState> load_state(const std::string& client) = 0;
  // load_state() without the checkpoints (the costly part to read): enough to tell whether a
  // client is already through a drop.
  virtual std::optional<ClientState> load_progress(const std::string& client) = 0;
  virtual std::vector<ClientState> all_states() = 0;
  virtual std::vector<TableRow> table_rows(const std::string& client, size_t table) = 0;
  virtual std::vector<RunLogEntry> runs(const std::string& client) = 0;
  virtual void record_failure(const FailureRecord& failure) = 0;
  virtual std::vector<FailureRecord> failures(const std::string& client) = 0;
};

}  // namespace snapdelta
