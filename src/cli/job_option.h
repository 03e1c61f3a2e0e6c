// --job, --pattern and --rebuild-job on the commands that read drops or tables.
// Contract: add_job_option() adds `--job FILE` and `--pattern P` together, so every command that
// takes a job can name its drops otherwise; chosen_job() then applies job_lookup.h's rule (--job,
// else snapdelta.toml in the working directory, else the built-in job) once, reading the file with
// load_job()'s one-line errors, applies --pattern to that job (job/pattern_override.h) before
// anything else sees it, and returns a Job that lives until the process ends.
// add_rebuild_job_flag() adds `--rebuild-job` to the commands that write.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "job/job.h"

namespace snapdelta::cli {

struct JobFlags {
  std::optional<std::string> file;
  std::string pattern;  // --pattern; "": the job's
  bool rebuild = false;
};

void add_job_option(CLI::App& cmd, JobFlags& flags);
void add_rebuild_job_flag(CLI::App& cmd, JobFlags& flags);
const Job& chosen_job(const JobFlags& flags);

}  // namespace snapdelta::cli
