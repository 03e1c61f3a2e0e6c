// verify_client: recompute a client from the file its state points at and compare with the tables.
// Contract: `identical` is true only if every row of every table of the job matches exactly (keys,
// measures, nulls) and no row is missing or extra; `differences` lists the first few mismatches
// as text, each naming its table. `groups` counts the recomputed rows over every table. The drop
// is found through the job's pattern. A client with no state is an Error; so is a store
// that serves another job (open_store.h).
#pragma once

#include <string>
#include <vector>

#include "job/job.h"

namespace snapdelta {

struct VerifyResult {
  bool identical = false;
  std::string file;
  size_t groups = 0;
  std::vector<std::string> differences;
};

struct VerifyRequest {
  std::string client;
  std::string data_dir = "data";
  std::string db = "poc_database.db";
  const Job* job = nullptr;  // nullptr: the built-in job
  size_t max_differences = 10;
};

VerifyResult verify_client(const VerifyRequest& request);

}  // namespace snapdelta
