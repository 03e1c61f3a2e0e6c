// The two exceptions snapdelta throws, and who catches them.
// Error: bad input, bad state and I/O failures. Contract: what() is a single line, `place: what
// was expected, what was found`, where place is `path`, `path:line` or `path:line:column`
// (1-based). Callers print what() verbatim and exit non-zero; nothing may be written to the
// database once an Error is in flight (transactions roll back).
// HistoryChanged: the bytes a client's state consumed are not a prefix of the new drop (or the
// new bytes extend its unterminated last row); `line` names the line when known (else 0). It
// stops a stream from deep inside (the consumed-range check, the parser) and never leaves a scan.
//
// The catch policy:
// - The command line (cli/main.cpp) catches everything: it prints one line and exits 2.
// - Only the scan step (pipeline/drop_scan) catches HistoryChanged: it returns it as the verdict
//   history_changed, on which the incremental plan rebuilds the client (verified_rebuild).
// - The scan step also catches any failure of the fast inflater where that inflater may be at
//   fault and returns the verdict fast_path_failed, on which the plan has zlib alone judge again
//   from the stream's start; the speculative tail keeps a failed write of its groups until the
//   prefix proof says whether they counted.
// - A helper thread catches what it throws and hands it to the thread that joins it, which
//   rethrows it (prefix proof, pipelined parser, generator, sync jobs).
// - Foreign exceptions (a JSON parse) are turned into Error where they happen.
// - `sync --watch` takes an Error from the container checks (locate_drop_entry(), the walk of a
//   gzip file's members or a zstd file's frames) on a drop whose size and mtime hold still as
//   "still being written" (source/drop_settler), not as a failure: it looks again when the file
//   changes.
// - The rebuild of a drop shorter than what was consumed adds to an Error that stops it that
//   history shrank (pipeline/plan.cpp, history_shrank.h), and throws it on.
// - Best-effort extras say "unknown" instead of failing: the changed-line locator (the rebuild
//   still names the segment), the PNG chart, the scratch-folder cleanup.
// Nothing else catches: no function swallows an error and goes on.
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

// A sum that would leave 64-bit integers: the store names itself and the group; whoever knows
// which drop brought the rows (the run) names it in front (pipeline/tail_writer.h).
class SumOverflow : public Error {
 public:
  using Error::Error;
};

class HistoryChanged : public std::runtime_error {
 public:
  HistoryChanged(uint64_t line, std::string why) : std::runtime_error(std::move(why)), line(line) {}
  uint64_t line;
};

// Builds "path:line:column: message"; line/column 0 are left out.
std::string place(std::string_view path, uint64_t line = 0, uint64_t column = 0);

[[noreturn]] void fail(std::string_view path, std::string_view message);
[[noreturn]] void fail_at(std::string_view path, uint64_t line, uint64_t column,
                          std::string_view message);

// Renders up to 40 bytes of `found` for an error message, escaping control bytes.
std::string quote_found(std::string_view found);
// All of `text`, quoted and escaped as quote_found() does: for text a person wrote (a job file's
// names, types and patterns), which an error never cuts short.
std::string quote_whole(std::string_view text);

}  // namespace snapdelta
