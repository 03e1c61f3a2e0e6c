// Error: the one exception type snapdelta throws for bad input, bad state and I/O failures.
// Contract: what() is a single line, `place: what was expected, what was found`, where place is
// `path`, `path:line` or `path:line:column` (1-based). Callers print what() verbatim and exit
// non-zero; nothing may be written to the database once an Error is in flight (transactions roll
// back).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace snapdelta {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Builds "path:line:column: message"; line/column 0 are left out.
std::string place(std::string_view path, uint64_t line = 0, uint64_t column = 0);

[[noreturn]] void fail(std::string_view path, std::string_view message);
[[noreturn]] void fail_at(std::string_view path, uint64_t line, uint64_t column,
                          std::string_view message);

// Renders up to 40 bytes of `found` for an error message, escaping control bytes.
std::string quote_found(std::string_view found);

}  // namespace snapdelta
