// RunOptions: what `snapdelta run` was asked to do. Contract: the drop read is the one
// source/drop_catalog.h finds for (data_dir, client, day); db_path is the SQLite file (created on
// success).
#pragma once

#include <string>

namespace snapdelta {

struct RunOptions {
  std::string mode = "incremental";  // full | incremental
  std::string client;
  int day = 0;
  std::string data_dir = "data";
  std::string db_path = "poc_database.db";
  int busy_timeout_ms = 60000;
  int threads = 0;  // 0: one per core; 1: sequential
};

}  // namespace snapdelta
