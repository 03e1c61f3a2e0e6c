// Subcommand registration for the `snapdelta` executable. Each register_* adds one subcommand to
// the CLI11 app; its callback does the work through the library and stores the process exit code
// in `exit_code` (0 success, 1 a negative verdict such as a verify mismatch, 2 an error).
// Errors are printed as one line on stderr by main. No pipeline logic lives in src/cli/.
// Options check their values with the validators of cli/usage.h (integer_at_least, one_of, ...),
// so a bad value is a one-line usage error; main hardens every option's type after registration.
#pragma once

#include <CLI/CLI.hpp>

namespace snapdelta::cli {

void register_generate(CLI::App& app, int& exit_code);
void register_run(CLI::App& app, int& exit_code);
void register_status(CLI::App& app, int& exit_code);
void register_verify(CLI::App& app, int& exit_code);
void register_bench(CLI::App& app, int& exit_code);
void register_sync(CLI::App& app, int& exit_code);
void register_init(CLI::App& app, int& exit_code);
void register_log(CLI::App& app, int& exit_code);
void register_infer(CLI::App& app, int& exit_code);

}  // namespace snapdelta::cli
