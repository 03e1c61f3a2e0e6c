// RunOptions: what `snapdelta run` was asked to do. Contract: the drop read is the one
// source/drop_catalog.h finds for (data_dir, client, day) through the job's pattern; db_path names
// the store (an SQLite file, created once the input has been read).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "job/builtin_job.h"
#include "job/job.h"
#include "store/open_store.h"
#include "store/run_mode.h"

namespace snapdelta {

// What an incremental run does when the consumed history changed: rebuild the client from the
// drop, or leave it as it was and fail naming the change.
enum class HistoryPolicy { rebuild, fail };

std::string_view to_string(HistoryPolicy policy);
std::optional<HistoryPolicy> parse_history_policy(std::string_view text);

struct RunOptions {
  RunMode mode = RunMode::incremental;
  std::string client;
  int day = 0;
  std::string data_dir = "data";
  const Job* job = &builtin_job();  // lives longer than the run
  bool rebuild_job = false;         // replace a database's tables made for another job
  std::string db_path = "poc_database.db";
  int busy_timeout_ms = 60000;
  int threads = 0;  // 0: one per core; 1: sequential
  HistoryPolicy on_history_change = HistoryPolicy::rebuild;
};

// The run's store: its database, created once the input has been read, with its busy timeout.
StoreOptions store_options(const RunOptions& options);

}  // namespace snapdelta
