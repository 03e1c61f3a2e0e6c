#include "cli/job_option.h"

#include <filesystem>
#include <memory>

#include "job/job_lookup.h"
#include "job/pattern_override.h"

namespace snapdelta::cli {

void add_job_option(CLI::App& cmd, JobFlags& flags) {
  cmd.add_option("--job", flags.file,
                 "job file (TOML): the drops' columns, groups and measures; default: "
                 "snapdelta.toml in the working directory, else the built-in job");
  cmd.add_option("--pattern", flags.pattern,
                 "drops' path under --data-dir: {client} and {day} or {date:FORMAT}; the extension "
                 "selects the container (.zip, .csv.gz, .csv, .csv.zst)")
      ->default_str("the job's [source] pattern");
}

void add_rebuild_job_flag(CLI::App& cmd, JobFlags& flags) {
  cmd.add_flag("--rebuild-job", flags.rebuild,
               "the database serves another job: replace its tables with this job's and "
               "recompute every client from its newest drop");
}

const Job& chosen_job(const JobFlags& flags) {
  static std::unique_ptr<Job> job;  // one command a process: chosen once, kept to the end
  if (!job) {
    job = std::make_unique<Job>(resolve_job(flags.file, std::filesystem::current_path()));
    override_pattern(*job, flags.pattern);
  }
  return *job;
}

}  // namespace snapdelta::cli
