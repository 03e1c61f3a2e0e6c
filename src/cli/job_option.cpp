#include "cli/job_option.h"

#include <filesystem>
#include <memory>

#include "job/job_lookup.h"

namespace snapdelta::cli {

void add_job_option(CLI::App& cmd, JobFlags& flags) {
  cmd.add_option("--job", flags.file,
                 "job file (TOML): the drops' columns, groups and measures; default: "
                 "snapdelta.toml in the working directory, else the built-in job");
}

void add_rebuild_job_flag(CLI::App& cmd, JobFlags& flags) {
  cmd.add_flag("--rebuild-job", flags.rebuild,
               "the database serves another job: replace its tables with this job's and "
               "recompute every client from its newest drop");
}

const Job& chosen_job(const JobFlags& flags) {
  static std::unique_ptr<Job> job;  // one command a process: chosen once, kept to the end
  if (!job) job = std::make_unique<Job>(resolve_job(flags.file, std::filesystem::current_path()));
  return *job;
}

}  // namespace snapdelta::cli
