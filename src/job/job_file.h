// Reading a job file (TOML; see the README's "Your own drops" and job.h for the shape).
// Contract: parse_job() returns a valid Job or throws snapdelta::Error with one line,
// `path:line:column: expected ..., found ...`, placed at the key or value at fault (TOML syntax
// errors where the TOML reader stopped). `path` only names the text in messages. load_job()
// reads the file first; a file that cannot be read fails as `path: cannot open file: ...`.
#pragma once

#include <string>
#include <string_view>

#include "job/job.h"

namespace snapdelta {

Job parse_job(std::string_view text, const std::string& path_for_messages);
Job load_job(const std::string& path);

}  // namespace snapdelta
