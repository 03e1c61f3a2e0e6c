// Usage errors: every mistake on the command line is ONE line on stderr and exit code 2.
// Contract:
// - The validators below accept an option's text and otherwise say
//   `expected <what>, found "<text>"`; CLI11 prefixes the option's name, so the line reads
//   `--day: expected an integer >= 1, found "0"`. A choice suggests a near miss:
//   `--mode: expected full or incremental, found "incremntal" (did you mean "incremental"?)`.
// - harden(app) gives every option of every subcommand (present and future) a type check for
//   its integer or number type, so `--x abc` never reaches a conversion error.
// - usage_error_exit(app, error, args) is main's handler for CLI11's ParseError: --help and
//   --version print as usual and return 0; anything else prints one line and returns 2.
//   It names, in this order, an unknown or missing command, an unknown option (with a near
//   miss), an option without its value, an unexpected argument, then what CLI11 found (a
//   missing required option, a value the validators refused); CLI11's own validator messages
//   (e.g. CLI::Range) are reworded into the same form.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace snapdelta::cli {

// An integer from `low` to `high`; "an integer >= low" when `high` is the type's limit.
CLI::Validator integer_in(int64_t low, uint64_t high);
template <class T>
CLI::Validator integer_at_least(int64_t low) {
  return integer_in(low, static_cast<uint64_t>(std::numeric_limits<T>::max()));
}
// A finite decimal number from `low` to `high`.
CLI::Validator number_in(double low, double high);
// One of `words`, exactly.
CLI::Validator one_of(std::vector<std::string> words);
// A valid calendar date YYYY-MM-DD.
CLI::Validator calendar_date();

void harden(CLI::App& app);

int usage_error_exit(CLI::App& app, const CLI::ParseError& error,
                     const std::vector<std::string>& args);

}  // namespace snapdelta::cli
