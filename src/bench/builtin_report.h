// BuiltinReport: results.md's section on a job file's runs beside the built-in job's
// (`snapdelta bench --job FILE` on drops the built-in job also reads).
// Contract: builtin_markdown() is the "## The job beside the built-in job" section: the job's
// tables, then one row per figure (full and incremental wall time, CPU time, peak RSS) with the
// job's median, the built-in job's median and job / built-in; or one line saying why the
// built-in job did not run. Empty when the bench ran the built-in job itself. builtin_ratio() is
// job / built-in of two medians, nullopt when the built-in one is 0. builtin_summary() is the
// stdout line ("job vs built-in job: full 1.21x, incremental 1.05x (wall medians)"). Pure
// functions.
#pragma once

#include <optional>
#include <string>

#include "bench/bench_results.h"

namespace snapdelta::bench {

std::optional<double> builtin_ratio(const Summary& job, const Summary& builtin);
std::string builtin_markdown(const BenchResults& results);
std::string builtin_summary(const BenchResults& results);

}  // namespace snapdelta::bench
