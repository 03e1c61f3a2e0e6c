// Which job a database serves, and what opening it with another job means.
// Contract: a database remembers canonical(job) in snapdelta_meta under 'job'. One without that
// key but with a processed_sales table was written before jobs existed: it serves the built-in
// job. One with neither serves no job yet (the first write gives it the store's). job_conflict()
// is the one-line refusal for a database serving another job ("the database serves another job:
// <first difference>; run with --rebuild-job to replace its tables and recompute every client"),
// or nullopt when it serves `job` (or none). served_tables() names the tables a served job owns
// (the ones a rebuild drops).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "job/job.h"

namespace snapdelta {

// What opening a store with a job different from the one its database serves does.
enum class JobChange : uint8_t {
  refuse,   // fail with job_conflict()'s line
  rebuild,  // drop the old job's tables, create the new job's, forget every client's state
};

inline constexpr const char* kJobMetaKey = "job";
inline constexpr const char* kLegacyTable = "processed_sales";

std::optional<std::string> served_job(const std::optional<std::string>& meta_job,
                                      bool has_legacy_table);
std::optional<std::string> job_conflict(const std::optional<std::string>& served, const Job& job);
std::vector<std::string> served_tables(const std::string& served);

}  // namespace snapdelta
