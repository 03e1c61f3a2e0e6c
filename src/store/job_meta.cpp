#include "store/job_meta.h"

#include "job/builtin_job.h"
#include "job/canonical.h"
#include "job/job_file.h"

namespace snapdelta {

std::optional<std::string> served_job(const std::optional<std::string>& meta_job,
                                      bool has_legacy_table) {
  if (meta_job) return meta_job;
  if (has_legacy_table) return canonical(builtin_job());
  return std::nullopt;
}

std::optional<std::string> job_conflict(const std::optional<std::string>& served, const Job& job) {
  if (!served || *served == canonical(job)) return std::nullopt;
  const std::optional<std::string> difference = first_difference(*served, job);
  if (!difference) return std::nullopt;
  return "the database serves another job: " + *difference +
         "; run with --rebuild-job to replace its tables and recompute every client";
}

std::vector<std::string> served_tables(const std::string& served) {
  std::vector<std::string> names;
  for (const Table& t : parse_job(served, "stored job").tables) names.push_back(t.name);
  return names;
}

}  // namespace snapdelta
