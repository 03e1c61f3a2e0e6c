// Shared helpers for the snapdelta test suite (defined in test_support.cpp).
// Everything here is written independently of the code under test where it matters: the zip
// writers use minizip/zlib directly, the reference aggregation splits lines and sums int64 cents
// itself, and database rows are read with the SQLite C API, not through SqliteStore.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <minizip/unzip.h>
#include <minizip/zip.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aggregate/job_groups.h"
#include "pipeline/pipeline.h"
#include "pipeline/run_options.h"
#include "pipeline/run_report.h"
#include "store/store.h"

namespace snapdelta::test {

namespace fs = std::filesystem;

// A fresh directory under /tmp, removed with everything in it when the object dies.
class TempDir {
 public:
  explicit TempDir(const std::string& tag = "snapdelta_test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::string read_file(const std::string& path);
// `text` as one gzip member (zlib, level 6) and as one zstd frame (level 3).
std::string gzip_of(const std::string& text);
std::string zstd_of(const std::string& text);

void write_file(const std::string& path, std::string_view bytes);

std::string day_path(const std::string& data_dir, const std::string& client, int day);

// ---------------------------------------------------------------------------------------------
// Zip writing and reading with minizip / zlib directly.

// Writes `text` as the one member `name` of a new zip, compressed by minizip itself (normal, not
// raw mode) with deflate at `level`, or stored when method is 0.
void write_zip_text(const std::string& path, std::string_view text, int level = 6,
                    int method = Z_DEFLATED, const std::string& name = "transactions.csv");

// A zip archive with no member at all.
void write_empty_zip(const std::string& path);

// A zip whose member holds the given raw deflate bytes as they are, declaring the given
// uncompressed size and CRC-32 (which may be wrong on purpose).
void write_zip_raw(const std::string& path, std::string_view deflate, uint64_t usize, uint32_t crc,
                   const std::string& name = "transactions.csv");

uint32_t crc_of(std::string_view bytes);

// One raw deflate stream (windowBits -15) of `text` at `level`.
std::string raw_deflate(std::string_view text, int level, int strategy = Z_DEFAULT_STRATEGY,
                        int mem_level = 8);

void write_zip_deflated(const std::string& path, std::string_view text, int level);

struct ZipMember {
  std::string name;
  std::string text;     // inflated by minizip (CRC checked)
  std::string deflate;  // the raw compressed bytes
  int method = 0;
};

// Reads the first member of a zip with minizip, inflated and raw.
ZipMember read_zip_member(const std::string& path);

// ---------------------------------------------------------------------------------------------
// The reference aggregation: a plain recomputation that shares no code with snapdelta's parser.

struct RefRow {
  std::string date;
  std::string sku;
  int64_t quantity = 0;
  int64_t cents = 0;
  int64_t count = 0;
  bool operator==(const RefRow&) const = default;
};

std::ostream& operator<<(std::ostream& os, const RefRow& r);

// Splits a CSV line into fields, honouring double quotes with "" escapes.
std::vector<std::string> split_csv_line(std::string_view line);

// "12" -> 1200, "12.5" -> 1250, "-0.07" -> -7. Only for well-formed test data.
int64_t reference_cents(const std::string& text);

// Aggregates a whole CSV text (BOM, CRLF and blank lines allowed) by (date, sku), ordered by
// (date, sku) like the store's key.
std::vector<RefRow> reference_rows(std::string_view csv);

// ---------------------------------------------------------------------------------------------
// SQLite, read with the C API.

class Sqlite {
 public:
  explicit Sqlite(const std::string& path, bool write = false);
  ~Sqlite();
  Sqlite(const Sqlite&) = delete;
  Sqlite& operator=(const Sqlite&) = delete;
  sqlite3* handle() const { return db_; }

  void exec(const std::string& sql);

  // Runs a query and returns every row as text cells (NULL as "NULL").
  std::vector<std::vector<std::string>> query(const std::string& sql);

 private:
  sqlite3* db_ = nullptr;
};

// The client's rows of processed_sales, ordered by (date, sku).
std::vector<RefRow> db_rows(const std::string& db_path, const std::string& client);

// The built-in job's input rows: `times` rows of (date, sku, quantity, cents) each.
struct SalesInput {
  std::string date;
  std::string sku;
  int64_t quantity = 0;
  int64_t cents = 0;
  int times = 1;
};
// Their groups, as the parser would hand them to the built-in job's JobGroups.
JobGroups builtin_groups(const std::vector<SalesInput>& rows);
// The client's processed_sales rows as a store reads them back (Store::table_rows).
std::vector<RefRow> store_rows(Store& store, const std::string& client);
// The built-in job with its drops named by `pattern`, as `--pattern` makes it; kept until the
// process ends (RunOptions::job points at it).
const Job& builtin_job_named(const std::string& pattern);

// ---------------------------------------------------------------------------------------------
// Running the snapdelta binary.

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs SNAPDELTA_BINARY with `args`, capturing stdout and stderr through files in `scratch`.
// With `cwd`, the binary runs there (its relative paths are taken from there).
ProcessResult run_snapdelta(const std::vector<std::string>& args, const std::string& scratch,
                            const std::string& cwd = "");

// Runs one pipeline in-process.
RunReport run_day(const std::string& mode, const std::string& client, int day,
                  const std::string& data_dir, const std::string& db, int threads = 0);

// The reference aggregation of a day file, read with minizip.
std::vector<RefRow> reference_of_zip(const std::string& zip);

std::vector<std::string> split_lines(std::string_view text);

// Escapes a literal for use inside a std::regex.
std::string regex_escape(std::string_view text);

}  // namespace snapdelta::test
