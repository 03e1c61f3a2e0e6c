// sync: every client's newest drop in one call, `jobs` clients at a time.
// Contract:
// - The clients are `clients`, or every folder of the data dir holding a drop; each one's newest
//   drop is its highest day (at most `through_day` when set). Only that file is read: a
//   cumulative drop covers every day before it.
// - Each client is brought to that drop as `run` would (same plan, same proofs, its rows, state
//   and run-log row changing together), but the heavy part runs outside the write lock: the state
//   is read without it, the drop is read, inflated, parsed and aggregated against it, then the
//   client's write is taken, the state read again and, only if it is unchanged (same_consumption),
//   the result is committed with its run-log row; if another writer moved it meanwhile, the work is
//   redone from the new state, so nothing is applied twice. A client already at its newest drop is
//   a no-op (in either mode). A client another worker holds (a server store's try_begin_write) is
//   passed over and taken again before the sync ends; one still held `busy_timeout_ms` after this
//   sync first found it held fails, as a wait for its lock that long would.
// - A client's failure (bad drop, changed history under HistoryPolicy::fail, no drop) fails that
//   client alone: its rows and state stay as they were, and the others go on.
//   A failed client that has a drop is then recorded in the store (Store::record_failure, a small
//   transaction of its own, once the clients are done; a missing SQLite database is not created
//   for it), and its next applied run clears it. A client named with --client that has no folder
//   fails with run's words ("expected client \"X\" (did you mean ...) in DIR, found clients ...").
//   A failed client still shows the state's day it stays at (from_day).
// - Group commit: with `group.clients` > 1 the clients' results land in shared transactions
//   (group_commit.h), a group closing after `group.clients` clients or `group.ms` ms after it
//   opened, whichever comes first; each client still changes its rows, state and run-log row
//   together, from a savepoint of its own, and a client failing inside a group is undone alone
//   and fails, the others landing. The fence is the same, under the group's lock. A client is
//   applied — told to `observer`, counted — only once its group committed; a group whose commit
//   fails fails each of its clients with the commit's error, none of them changed. `group.clients`
//   1 is one transaction per client, as `run` does.
// - `observer` is told of each client as it ends, one call at a time.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/group_commit.h"
#include "pipeline/run_options.h"
#include "pipeline/run_report.h"
#include "source/drop_catalog.h"

namespace snapdelta {

struct SyncOptions {
  std::string data_dir = "data";
  const Job* job = &builtin_job();  // lives longer than the sync
  bool rebuild_job = false;         // replace a database's tables made for another job
  std::string db = "poc_database.db";
  RunMode mode = RunMode::incremental;
  std::vector<std::string> clients;  // empty: every client in the data dir
  int through_day = 0;               // 0: no limit
  int jobs = 0;                      // 0: one per core
  int threads = 0;                   // per job; 0: the cores shared out among the jobs
  HistoryPolicy on_history_change = HistoryPolicy::rebuild;
  int busy_timeout_ms = 60000;
  GroupLimits group;  // clients 1: one transaction per client
};

enum class SyncStatus { applied, noop, failed };
std::string_view to_string(SyncStatus status);

struct ClientSync {
  std::string client;
  int from_day = 0;  // the state's day before the sync; 0: no state
  int to_day = 0;    // the newest drop's day; 0: none found
  SyncStatus status = SyncStatus::noop;
  RunReport report;   // of the run that applied it (or found it current)
  std::string error;  // one line, when failed
  size_t commit = 0;  // applied: the number of the transaction it landed in, within this sync
  // With drops keyed by date (`pattern`), from_date and to_date (YYYY-MM-DD, null for day 0)
  // follow from_day and to_day, which are then days since 1970-01-01.
  nlohmann::ordered_json to_json(const DropPattern& pattern) const;
};

struct SyncSummary {
  size_t clients = 0, applied = 0, noop = 0, failed = 0;
  uint64_t rows_processed = 0, groups_written = 0;
  size_t commits = 0;  // transactions that applied clients (a group is one)
  double total_ms = 0;
  nlohmann::ordered_json to_json() const;
};

using SyncObserver = std::function<void(const ClientSync&)>;

// The clients a sync covers, in order, each once (an Error if the data dir cannot be listed).
std::vector<std::string> sync_clients_of(const SyncOptions& options);

// The data dir listed once, every folder of it with its days and ignored files (drops::survey,
// the job's pattern), for the calls below to share; an Error as sync_clients_of says.
using DataSurvey = std::vector<drops::FolderDrops>;
DataSurvey survey_data(const SyncOptions& options);
// sync_clients_of(options), read from `survey`.
std::vector<std::string> sync_clients_of(const SyncOptions& options, const DataSurvey& survey);

// Stops a sync on a store fault before any client is tried (check_store() of open_store.h): one
// Error for a database that cannot be opened, a server that cannot be reached, a schema that
// cannot be created or an unknown --db scheme. A missing SQLite file is no fault.
void check_sync_store(const SyncOptions& options);

// With `survey` (of this data dir, just taken), each client's newest drop is found there
// rather than by listing its folder again.
std::vector<ClientSync> sync_clients(const SyncOptions& options,
                                     const std::vector<std::string>& clients,
                                     const SyncObserver& observer,
                                     const DataSurvey* survey = nullptr);

SyncSummary summarize(const std::vector<ClientSync>& results, double total_ms);

}  // namespace snapdelta
