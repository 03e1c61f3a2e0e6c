// TransactionParser: turns the bytes of a transactions CSV into aggregate updates, line-exact.
// Schema: transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd.
// Contract: bytes arrive through feed() in chunks of any size (a line may span chunks) and finish()
// ends the input. When started at the file start, a UTF-8 BOM is skipped and the header must match
// exactly. Rows end in LF or CRLF (the last may have none); fields may be double-quoted ("" escapes
// a quote; a newline inside quotes is not part of this schema and is an error); blank lines carry
// no row. Every row is validated and added to the GroupTable; the first bad byte throws
// snapdelta::Error "path:line:column: expected ..., found ...". Lines over 1 MiB are an error.
// When started mid-file after an unterminated last row, the input must begin with a line end,
// else HistoryChanged is thrown (the old last row was extended).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "aggregate/group_table.h"
#include "csv/parser_start.h"

namespace snapdelta {

// The bytes already consumed were not a prefix of this file.
struct HistoryChanged : std::runtime_error {
  HistoryChanged(uint64_t line, std::string why) : std::runtime_error(std::move(why)), line(line) {}
  uint64_t line;
};

inline constexpr std::string_view kHeader =
    "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd";
inline constexpr size_t kMaxLineBytes = 1 << 20;

class TransactionParser {
 public:
  // `start` says where in the file the bytes fed begin (parser_start.h).
  TransactionParser(std::string path, GroupTable& table, ParserStart start);

  void feed(const char* data, size_t size);
  void finish();

  uint64_t rows() const { return rows_; }
  uint64_t lines() const { return line_ - 1; }  // complete lines seen, counting from line 1
  // True when the input's last row had no line end (so the next file must begin with one).
  bool ended_unterminated() const { return unterminated_; }

 private:
  // Parses whole lines: [begin, end) ends with '\n'.
  void process_lines(const char* begin, const char* end);
  // Parses one line without its '\n' (and with or without a final '\r') the general way.
  void process_line(const char* begin, const char* end);
  // process_line on the line starting at p, which ends before end; returns the next line's start.
  const char* next_line(const char* p, const char* end);
  // `readable_end`: where the bytes fed (and safe to read past the row) end.
  bool fast_row(const char* begin, const char* c1, const char* c2, const char* c3, const char* c4,
                const char* end, const char* readable_end);
  void slow_row(const char* begin, const char* end);
  void header(const char* begin, const char* end);
  [[noreturn]] void line_too_long() const;
  [[noreturn]] void error(const char* line_begin, const char* at, const std::string& message) const;

  std::string path_;
  GroupTable& table_;
  SkuDictionary& skus_;
  uint64_t line_;
  uint64_t rows_ = 0;
  bool need_header_;
  bool need_bom_check_;
  bool need_line_end_;
  bool unterminated_ = false;
  std::string carry_;
  // One-entry cache: consecutive rows mostly share a date.
  char last_date_text_[10] = {'1', '9', '7', '0', '-', '0', '1', '-', '0', '1'};
  int32_t last_date_ = 0;  // the date of last_date_text_
};

}  // namespace snapdelta
