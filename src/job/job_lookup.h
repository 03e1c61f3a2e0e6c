// Which job a command runs: the file given with --job, else snapdelta.toml in the working
// directory, else the built-in job. Contract: choose_job_file() applies that rule without
// reading anything but the directory entry and returns the file to read, or nullopt for the
// built-in job; resolve_job() also reads it (load_job's errors). A --job file that does not exist
// fails; a missing snapdelta.toml is not an error.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "job/job.h"

namespace snapdelta {

inline constexpr const char* kJobFileName = "snapdelta.toml";

std::optional<std::string> choose_job_file(const std::optional<std::string>& job_flag,
                                           const std::filesystem::path& working_dir);
Job resolve_job(const std::optional<std::string>& job_flag,
                const std::filesystem::path& working_dir);

}  // namespace snapdelta
