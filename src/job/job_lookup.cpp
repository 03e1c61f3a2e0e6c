#include "job/job_lookup.h"

#include <system_error>

#include "job/builtin_job.h"
#include "job/job_file.h"

namespace snapdelta {

std::optional<std::string> choose_job_file(const std::optional<std::string>& job_flag,
                                           const std::filesystem::path& working_dir) {
  if (job_flag) return job_flag;
  const std::filesystem::path local = working_dir / kJobFileName;
  std::error_code ec;
  if (std::filesystem::exists(local, ec)) return local.string();
  return std::nullopt;
}

Job resolve_job(const std::optional<std::string>& job_flag,
                const std::filesystem::path& working_dir) {
  const std::optional<std::string> file = choose_job_file(job_flag, working_dir);
  return file ? load_job(*file) : builtin_job();
}

}  // namespace snapdelta
