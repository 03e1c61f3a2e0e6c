// The sections of a job file, each read from the parsed document into its part of the Job.
// Contract: each function validates its section completely (see job.h for what a valid Job
// is) and throws snapdelta::Error at the offending key or value (see toml_read.h); a later
// section may rely on what an earlier one returned (columns need the CSV format, tables the
// columns).
#pragma once

#include <string_view>
#include <vector>

#include "job/job.h"
#include "job/toml_read.h"

namespace snapdelta::job_sections {

JobSource read_source(std::string_view path, const toml::table& root);
CsvFormat read_csv(std::string_view path, const toml::table& root);
std::vector<Column> read_columns(std::string_view path, const toml::table& root,
                                 const CsvFormat& csv);
std::vector<Table> read_tables(std::string_view path, const toml::table& root,
                               const std::vector<Column>& columns);

}  // namespace snapdelta::job_sections
