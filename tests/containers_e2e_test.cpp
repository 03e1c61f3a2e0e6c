// Every container end to end: random cumulative histories in gzip (rewritten and appended), plain
// CSV and zstd (rewritten and appended), walked day by day incrementally, each day equal to a full
// run of the same day AND to the plain recomputation of the day's CSV (reference_rows, from the
// same history generated as plain CSV); later days take a resume route, never a whole-file
// reparse. Then each container's faults: one line naming the file, the database unchanged.
#include <gtest/gtest.h>
#include <zstd.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "common/error.h"
#include "generate/generator.h"
#include "source/file_reader.h"
#include "source/zstd_frames.h"
#include "test_support.h"

using namespace snapdelta;
using test::RefRow;
using test::TempDir;

namespace {

struct Case {
  generate::Container container;
  std::string extension;
  std::vector<Route> later;  // the routes a later day may take
};

std::string pattern_for(const std::string& extension) {
  return "{client}/transactions_day_{day}." + extension;
}

RunReport run(const std::string& mode, int day, const std::string& data, const std::string& db,
              const std::string& extension) {
  RunOptions o;
  o.mode = *parse_run_mode(mode);
  o.client = "client_1";
  o.day = day;
  o.data_dir = data;
  o.job = &test::builtin_job_named(pattern_for(extension));
  o.db_path = db;
  o.threads = static_cast<int>(day % 2) + 1;
  o.busy_timeout_ms = 10000;
  return run_pipeline(o);
}

generate::Options history(const std::string& dir, generate::Container c, uint64_t seed) {
  std::mt19937_64 rng(seed);
  generate::Options o;
  o.data_dir = dir;
  o.clients = 1;
  o.days = 3 + static_cast<int64_t>(rng() % 4);
  o.base_rows = static_cast<int64_t>(rng() % 3000);
  o.rows_per_day = rng() % 5 == 0 ? 0 : static_cast<int64_t>(rng() % 900);
  o.skus = 1 + static_cast<int64_t>(rng() % 200);
  o.seed = rng();
  o.late_fraction = static_cast<double>(rng() % 1001) / 1000.0;
  o.threads = 1;
  o.container = c;
  return o;
}

void walk(const Case& k, uint64_t seed) {
  TempDir dir("containers");
  generate::Options o = history(dir / "data", k.container, seed);
  generate::run(o);
  generate::Options plain = o;
  plain.data_dir = dir / "plain";
  plain.container = generate::Container::csv;
  generate::run(plain);
  SCOPED_TRACE(std::string(generate::container_option(k.container)) + " seed " +
               std::to_string(seed) + ", days " + std::to_string(o.days) + ", base " +
               std::to_string(o.base_rows) + ", per day " + std::to_string(o.rows_per_day));
  for (int day = 1; day <= o.days; ++day) {
    const RunReport inc = run("incremental", day, o.data_dir, dir / "inc.db", k.extension);
    const std::string full_db = dir / ("full" + std::to_string(day) + ".db");
    run("full", day, o.data_dir, full_db, k.extension);
    const std::string csv = test::read_file(plain.data_dir + "/client_1/transactions_day_" +
                                            std::to_string(day) + ".csv");
    const std::vector<RefRow> expected = test::reference_rows(csv);
    ASSERT_EQ(test::db_rows(dir / "inc.db", "client_1"), expected) << "day " << day;
    ASSERT_EQ(test::db_rows(full_db, "client_1"), expected) << "day " << day;
    if (day == 1) {
      EXPECT_EQ(inc.path, Route::first_run);
    } else {
      EXPECT_NE(std::find(k.later.begin(), k.later.end(), inc.path), k.later.end())
          << "day " << day << " took " << to_string(inc.path);
    }
  }
  // The same day again changes nothing.
  EXPECT_EQ(
      run("incremental", static_cast<int>(o.days), o.data_dir, dir / "inc.db", k.extension).path,
      Route::noop);
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {generate::Container::csv, "csv", {Route::offset}},
      // A few KB are one deflate block: no boundary to resume at before the final block.
      {generate::Container::gzip, "csv.gz", {Route::checkpoint, Route::inflate_all}},
      {generate::Container::gzip_append, "csv.gz", {Route::append}},
      {generate::Container::zstd, "csv.zst", {Route::inflate_all}},
      {generate::Container::zstd_append, "csv.zst", {Route::append}},
  };
  return all;
}

TEST(ContainersE2e, RandomHistoriesEqualFullAndReference) {
  for (const Case& k : cases()) {
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      walk(k, seed * 7919 + static_cast<uint64_t>(k.container));
      if (HasFatalFailure()) return;
    }
  }
}

// The rewritten gzip's first run leaves checkpoints, so every later day resumes at one and equals
// a full run of the same day.
TEST(ContainersE2e, GzipRewrittenResumesAtACheckpointFromTheSecondDay) {
  TempDir dir("containers");
  generate::Options o;
  o.data_dir = dir / "data";
  o.clients = 1;
  o.days = 4;
  o.base_rows = 60000;
  o.rows_per_day = 2000;
  o.threads = 1;
  o.container = generate::Container::gzip;
  generate::run(o);
  for (int day = 1; day <= 4; ++day) {
    const RunReport inc = run("incremental", day, o.data_dir, dir / "inc.db", "csv.gz");
    EXPECT_EQ(inc.path, day == 1 ? Route::first_run : Route::checkpoint) << "day " << day;
    const std::string full_db = dir / ("full" + std::to_string(day) + ".db");
    run("full", day, o.data_dir, full_db, "csv.gz");
    EXPECT_EQ(test::db_rows(dir / "inc.db", "client_1"), test::db_rows(full_db, "client_1"))
        << "day " << day;
  }
}

// A file of several members is never read as one rewritten member: gzip-append's days resume at
// the last member consumed, also after a first run on a later day of many members.
TEST(ContainersE2e, GzipAppendedIsNotMistakenForOneMember) {
  TempDir dir("containers");
  generate::Options o;
  o.data_dir = dir / "data";
  o.clients = 1;
  o.days = 4;
  o.base_rows = 500;
  o.rows_per_day = 5000;  // later members larger than the first: ISIZE alone cannot tell
  o.threads = 1;
  o.container = generate::Container::gzip_append;
  generate::run(o);
  const RunReport first = run("incremental", 3, o.data_dir, dir / "inc.db", "csv.gz");
  EXPECT_EQ(first.path, Route::first_run);
  EXPECT_EQ(run("incremental", 4, o.data_dir, dir / "inc.db", "csv.gz").path, Route::append);
  run("full", 4, o.data_dir, dir / "full.db", "csv.gz");
  EXPECT_EQ(test::db_rows(dir / "inc.db", "client_1"), test::db_rows(dir / "full.db", "client_1"));
}

}  // namespace

namespace {

// Day 2 restates day 1's rows: the incremental run rebuilds the client and stays exact, or, with
// --on-history-change fail, refuses in one line and leaves the database as it was.
TEST(ContainersE2e, ARestatedHistoryIsRebuiltOrRefused) {
  for (const Case& k : cases()) {
    SCOPED_TRACE(std::string(generate::container_option(k.container)));
    TempDir dir("containers");
    generate::Options o = history(dir / "data", k.container, 99);
    o.days = 2;
    o.base_rows = 2000;
    o.rows_per_day = 300;
    generate::run(o);
    run("incremental", 1, o.data_dir, dir / "inc.db", k.extension);
    run("incremental", 1, o.data_dir, dir / "refused.db", k.extension);
    // Another seed's day 2: the same container, another history.
    generate::Options other = o;
    other.data_dir = dir / "other";
    other.seed = o.seed + 1;
    generate::run(other);
    generate::Options plain = other;
    plain.data_dir = dir / "plain";
    plain.container = generate::Container::csv;
    generate::run(plain);
    const std::string name = "/client_1/transactions_day_2." + k.extension;
    std::filesystem::copy_file(other.data_dir + name, o.data_dir + name,
                               std::filesystem::copy_options::overwrite_existing);
    const RunReport r = run("incremental", 2, o.data_dir, dir / "inc.db", k.extension);
    EXPECT_EQ(r.path, Route::rebuilt);
    EXPECT_EQ(
        test::db_rows(dir / "inc.db", "client_1"),
        test::reference_rows(test::read_file(plain.data_dir + "/client_1/transactions_day_2.csv")));
    const auto before = test::db_rows(dir / "refused.db", "client_1");
    RunOptions f;
    f.client = "client_1";
    f.day = 2;
    f.data_dir = o.data_dir;
    f.job = &test::builtin_job_named(pattern_for(k.extension));
    f.db_path = dir / "refused.db";
    f.on_history_change = HistoryPolicy::fail;
    EXPECT_THROW(run_pipeline(f), Error);
    EXPECT_EQ(test::db_rows(dir / "refused.db", "client_1"), before);
  }
}

}  // namespace

namespace {

struct TwoDays {
  generate::Options o;
  std::string day2;       // day 2's drop
  std::string plain_csv;  // day 2's CSV, as generated
};

// Days 1 and 2 of one history in `c`; day 1 applied to inc.db and refused.db.
TwoDays two_days(const TempDir& dir, generate::Container c, const std::string& extension) {
  TwoDays t{history(dir / "data", c, 4242), "", ""};
  t.o.days = 2;
  t.o.base_rows = 3000;
  t.o.rows_per_day = 400;
  generate::run(t.o);
  generate::Options plain = t.o;
  plain.data_dir = dir / "plain";
  plain.container = generate::Container::csv;
  generate::run(plain);
  t.day2 = t.o.data_dir + "/client_1/transactions_day_2." + extension;
  t.plain_csv = test::read_file(plain.data_dir + "/client_1/transactions_day_2.csv");
  run("incremental", 1, t.o.data_dir, dir / "inc.db", extension);
  run("incremental", 1, t.o.data_dir, dir / "refused.db", extension);
  return t;
}

RunOptions refusing(const TwoDays& t, const std::string& db, const std::string& extension) {
  RunOptions f;
  f.client = "client_1";
  f.day = 2;
  f.data_dir = t.o.data_dir;
  f.job = &test::builtin_job_named(pattern_for(extension));
  f.db_path = db;
  f.on_history_change = HistoryPolicy::fail;
  return f;
}

}  // namespace

// The resume routes write the tail's groups while the consumed prefix is still being hashed; one
// byte that differs there must undo that write. A plain CSV with one cent changed in the middle of
// its consumed rows is rebuilt (or refused, the database as it was), never resumed at the offset.
TEST(ContainersE2e, ACsvPrefixThatDiffersInOneByteIsCaught) {
  TempDir dir("containers");
  const TwoDays t = two_days(dir, generate::Container::csv, "csv");
  std::string csv = test::read_file(t.day2);
  const size_t line_end = csv.find('\n', csv.size() / 3);
  ASSERT_NE(line_end, std::string::npos);
  char& cent = csv[line_end - 1];  // revenue_usd's last digit
  ASSERT_TRUE(cent >= '0' && cent <= '9');
  cent = cent == '9' ? '8' : static_cast<char>(cent + 1);
  test::write_file(t.day2, csv);
  const auto before = test::db_rows(dir / "refused.db", "client_1");
  EXPECT_THROW(run_pipeline(refusing(t, dir / "refused.db", "csv")), Error);
  EXPECT_EQ(test::db_rows(dir / "refused.db", "client_1"), before);
  EXPECT_EQ(run("incremental", 2, t.o.data_dir, dir / "inc.db", "csv").path, Route::rebuilt);
  EXPECT_EQ(test::db_rows(dir / "inc.db", "client_1"), test::reference_rows(csv));
}

// An appended gzip or zstd whose first member or frame differs in one byte of its compressed data
// is not resumed after its last one: read whole, it fails in one line naming the file (it does
// not inflate or decode, its CRC-32 or checksum differs, or the garbage it inflates to does not
// parse), and nothing is written.
TEST(ContainersE2e, AnAppendedPrefixThatDiffersInOneByteFailsWithNothingWritten) {
  const std::vector<std::pair<generate::Container, std::string>> appended = {
      {generate::Container::gzip_append, "csv.gz"}, {generate::Container::zstd_append, "csv.zst"}};
  for (const auto& [container, extension] : appended) {
    SCOPED_TRACE(extension);
    TempDir dir("containers");
    const TwoDays t = two_days(dir, container, extension);
    std::string bytes = test::read_file(t.day2);
    bytes[bytes.size() / 4] ^= 0x10;
    test::write_file(t.day2, bytes);
    const auto before = test::db_rows(dir / "inc.db", "client_1");
    try {
      run("incremental", 2, t.o.data_dir, dir / "inc.db", extension);
      ADD_FAILURE() << "a corrupt first member or frame was read";
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind(t.day2 + ":", 0), 0u) << what;
      EXPECT_NE(what.find("expected "), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
    EXPECT_EQ(test::db_rows(dir / "inc.db", "client_1"), before);
  }
}

// An appended zstd whose first frame was recompressed (the same rows, other bytes): the tail after
// the last frame is read and its groups written while the prefix is hashed, the hash differs, so
// that resume is dropped and the whole stream is read with every consumed segment checked; the new
// rows count once: exact.
TEST(ContainersE2e, AnAppendedPrefixRecompressedUndoesTheTailWritten) {
  TempDir dir("containers");
  const TwoDays t = two_days(dir, generate::Container::zstd_append, "csv.zst");
  const std::string day1 = test::read_file(dir / "plain/client_1/transactions_day_1.csv");
  std::string first(ZSTD_compressBound(day1.size()), '\0');
  const size_t n = ZSTD_compress(first.data(), first.size(), day1.data(), day1.size(), 1);
  ASSERT_FALSE(ZSTD_isError(n));
  first.resize(n);
  const std::string old = test::read_file(t.day2);
  const uint64_t first_end = list_zstd_frames(FileReader(t.day2))[0].end();
  ASSERT_NE(old.substr(0, first_end), first);
  test::write_file(t.day2, first + old.substr(first_end));
  EXPECT_EQ(run("incremental", 2, t.o.data_dir, dir / "inc.db", "csv.zst").path,
            Route::inflate_all);
  EXPECT_EQ(test::db_rows(dir / "inc.db", "client_1"), test::reference_rows(t.plain_csv));
}
