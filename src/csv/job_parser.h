// JobParser: turns the bytes of a job's CSV into JobGroups rows, line-exact, for any job's CSV
// format and columns.
// Contract: bytes arrive through feed() in chunks of any size and finish() ends the input. Started
// at the file start (`header_line` ""), a UTF-8 BOM is skipped and the first line fixes the
// RowLayout (row_layout.h): with `header = true` it is the header, else it is also the first row.
// Started mid-file, `header_line` is that first line as header() returned it then. Rows end in LF
// or CRLF (the last may have none); fields may be quoted with the job's quote (doubled to escape
// it; no line end inside quotes); blank lines carry no row; a field whose unquoted text is one of
// the job's nulls is null. Every row must have the layout's field count; only the job's columns
// are read, as their types say, and each row goes to JobGroups::add_row(). The first bad byte
// throws snapdelta::Error "path:line:column: expected ..., found ..."; lines over kMaxLineBytes
// are an error; mid-file after an unterminated row the input must begin with a line end, else
// HistoryChanged is thrown.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aggregate/job_groups.h"
#include "csv/field_reader.h"
#include "csv/field_split.h"
#include "csv/parser_start.h"
#include "csv/row_layout.h"
#include "job/job.h"

namespace snapdelta {

// The longest line a drop may have.
inline constexpr size_t kMaxLineBytes = 1 << 20;

class JobParser {
 public:
  JobParser(std::string path, const Job& job, JobGroups& groups, ParserStart start,
            std::string header_line);

  void feed(const char* data, size_t size);
  void finish();

  uint64_t rows() const { return rows_; }
  uint64_t lines() const { return line_ - 1; }  // complete lines seen, counting from line 1
  bool ended_unterminated() const { return unterminated_; }
  // The first line the layout came from (without BOM or line end); "" before it is read.
  const std::string& header() const { return header_; }

 private:
  void set_layout(std::string_view first_line);
  void process_lines(const char* begin, const char* end);
  // Kinds: AnyKinds (each field's kind read at run time) or FixedKinds<...> (job_parser.cpp),
  // fast_fields_' kinds fixed at compile time so a common layout's row loop unrolls.
  template <bool kNulls, class Kinds>
  void scan_rows(const char* begin, const char* end);
  template <bool kNulls>
  void scan_rows_with_kinds(const char* begin, const char* end);
  void process_line(const char* begin, const char* end);
  const char* next_line(const char* p, const char* end);
  template <bool kNulls, class Kinds>
  bool fast_row(const char* begin, const char* base, const uint32_t* seps, const char* end,
                const char* readable_begin);
  struct FastField;
  template <bool kNulls>
  bool fast_field(const FastField& f, ColumnKind kind, const char* begin, const char* base,
                  const uint32_t* seps, const char* end, const char* readable_begin);
  bool is_null(std::string_view text) const;
  void slow_row(const char* begin, const char* end);
  void first_line(const char* begin, const char* end);
  [[noreturn]] void line_too_long() const;
  [[noreturn]] void overflow(uint64_t column) const;
  [[noreturn]] void bad_value(const FieldReader& reader, const SplitField& field) const;

  std::string path_;
  const Job& job_;
  JobGroups& groups_;
  RowLayout layout_;
  // One field fast_row() reads, kept small so the row loop walks a short array: its kind, and
  // its reader or (a string) its column's dictionary.
  struct FastField {
    uint32_t field;
    uint32_t column;
    ColumnKind kind;
    FieldReader* reader;
    SkuDictionary* dictionary;
  };
  std::vector<FieldReader> readers_;    // the job's columns in field order
  std::vector<FastField> fast_fields_;  // readers_ as fast_row() reads them
  std::vector<int64_t> values_;         // per job column
  std::vector<uint8_t> nulls_;          // per job column
  std::vector<SplitField> split_;       // slow_row's fields, reused
  size_t overflow_column_field_ = 0;    // the field an overflow is reported at
  std::string header_;
  uint64_t line_;
  uint64_t rows_ = 0;
  bool has_nulls_;
  bool need_header_;
  bool need_bom_check_;
  bool need_line_end_;
  bool unterminated_ = false;
  std::string carry_;
  const char* readable_begin_ = nullptr;  // the bytes fed now
  const char* readable_end_ = nullptr;
};

}  // namespace snapdelta
