// FailureRecord: one failed attempt at a client, as the table snapdelta_failures keeps it.
// Contract: recorded by Store::record_failure() in a transaction of its own (never the client's
// data transaction, so nothing of the client changes); cleared by the client's next applied run,
// in that run's transaction (cleared_at set, the row kept as history). `error` is the attempt's
// one-line error; `failed_at` and `cleared_at` are ISO-8601 UTC times the store sets (cleared_at
// empty while the failure stands); `host` and `pid` the process that failed.
#pragma once

#include <cstdint>
#include <string>

namespace snapdelta {

struct FailureRecord {
  std::string client;
  int day = 0;
  std::string file;
  std::string error;
  std::string failed_at;   // set by the store
  std::string cleared_at;  // set by the store; empty: the failure stands
  std::string host;
  int64_t pid = 0;
};

}  // namespace snapdelta
