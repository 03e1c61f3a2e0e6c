// ParserStart: where in its file a JobParser's input begins.
// Contract: file_start() is the file's first byte: a UTF-8 BOM may come, then the header, and the
// first line is line 1. after(lines, unterminated) follows `lines` lines already consumed (the
// last of them counted even without its line end); when `unterminated` the last consumed row had
// no line end, so the input must begin with one (else the parser throws HistoryChanged).
#pragma once

#include <cstdint>

namespace snapdelta {

class ParserStart {
 public:
  static constexpr ParserStart file_start() { return ParserStart(1, true, false); }
  static constexpr ParserStart after(uint64_t lines, bool unterminated) {
    return ParserStart(lines + 1, false, unterminated);
  }

  uint64_t next_line() const { return next_line_; }  // 1-based number of the first line fed
  bool at_file_start() const { return at_file_start_; }
  bool after_unterminated_row() const { return after_unterminated_row_; }

 private:
  constexpr ParserStart(uint64_t next_line, bool at_file_start, bool after_unterminated_row)
      : next_line_(next_line),
        at_file_start_(at_file_start),
        after_unterminated_row_(after_unterminated_row) {}

  uint64_t next_line_;
  bool at_file_start_;
  bool after_unterminated_row_;
};

}  // namespace snapdelta
