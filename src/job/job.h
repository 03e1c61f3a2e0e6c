// The job: which drops to read, how to read their CSV, which columns to take from each row and
// which tables to compute from them. Contract: plain data, compared member by member. A Job
// that parse_job() or builtin_job() returns is valid: every name is usable in SQL, every index
// is in range, every table has at least one measure and no name twice, the pattern has
// {client} and {day} or {date:...}. Columns and measures refer to columns by index, never by
// name, so the engine can drive its row parser from indices computed once per drop.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace snapdelta {

// How a drop's bytes are packed.
enum class Container : uint8_t { zip, gzip, csv, zstd };

struct JobSource {
  std::string pattern;  // drop path under --data-dir, e.g. "{client}/transactions_day_{day}.zip"
  Container container = Container::zip;
  std::string entry;  // glob naming the zip member to read; "" when not given
  bool operator==(const JobSource&) const = default;
};

struct CsvFormat {
  char delimiter = ',';
  char quote = '"';
  bool header = true;              // true: columns by header name; false: by position
  std::vector<std::string> nulls;  // field texts read as null
  bool operator==(const CsvFormat&) const = default;
};

enum class ColumnKind : uint8_t { date, string, int64, decimal };

inline constexpr const char* kDefaultDateFormat = "%Y-%m-%d";
inline constexpr uint8_t kMaxDecimalScale = 18;

struct ColumnType {
  ColumnKind kind = ColumnKind::string;
  std::string date_format;  // date only: a DateFormat text, "%Y-%m-%d" by default
  uint8_t scale = 0;        // decimal only: fraction digits, 0..kMaxDecimalScale
  bool operator==(const ColumnType&) const = default;
};

struct Column {
  std::string name;            // the name the tables use
  std::string from_header;     // header = true: the header text this column is read from
  uint32_t from_position = 0;  // header = false: the 1-based field position; 0 otherwise
  ColumnType type;
  bool operator==(const Column&) const = default;
};

enum class MeasureKind : uint8_t { sum, count_rows, count, min, max };

inline constexpr uint32_t kNoColumn = std::numeric_limits<uint32_t>::max();

struct Measure {
  std::string name;
  MeasureKind kind = MeasureKind::count_rows;
  uint32_t column = kNoColumn;  // index into Job::columns; kNoColumn for count()
  bool operator==(const Measure&) const = default;
};

struct Table {
  std::string name;
  std::vector<uint32_t> group_by;  // indices into Job::columns, in key order
  std::vector<Measure> measures;   // in the job file's order
  bool operator==(const Table&) const = default;
};

struct Job {
  JobSource source;
  CsvFormat csv;
  std::vector<Column> columns;  // in the job file's order
  std::vector<Table> tables;    // in the job file's order
  bool operator==(const Job&) const = default;
};

}  // namespace snapdelta
