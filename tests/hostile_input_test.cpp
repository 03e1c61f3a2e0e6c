// Hostile input: absurd drops fail cleanly through the `snapdelta` binary (exit non-zero, one
// error line naming the file, the database unchanged, bounded memory), and every crash input the
// fuzzers ever found (fuzz/regressions/) is replayed through the fuzz targets' own entry points.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <minizip/zip.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "child_harness.h"
#include "generate/zip_writer.h"

#define SNAPDELTA_FUZZ_NO_MAIN
#include "../fuzz/csv_parser_fuzz.cpp"
#include "../fuzz/gzip_reader_fuzz.cpp"
#include "../fuzz/zip_inflate_fuzz.cpp"
#include "../fuzz/zstd_reader_fuzz.cpp"

namespace fs = std::filesystem;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#else
constexpr bool kAsan = false;
#endif

using namespace snapdelta::test::harness;

// ---- building hostile archives
// -------------------------------------------------------------------

// Raw deflate of `data` ending with `flush` (Z_FULL_FLUSH: a byte-aligned piece that references
// nothing before it, so identical pieces can be repeated back to back).
std::string deflate_piece(z_stream& z, std::string_view data, int flush) {
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  char buf[1 << 16];
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    deflate(&z, flush);
    out.append(buf, sizeof buf - z.avail_out);
  } while (z.avail_out == 0);
  return out;
}

// A member made of `head` followed by `body` repeated `repeat` times, deflated in O(head + body)
// time: the repeated piece is compressed once. `declared` overrides the uncompressed size the
// archive claims (default: the true size); the CRC is always the true one. With `poisoned`, the
// stream ends after the repeats in an invalid block (BTYPE 11) instead of its final block: a run
// that inflates that far says "corrupt bytes", so a run that stops early proves it by its message.
struct Repeated {
  std::string head, body;
  uint64_t repeat = 0;
  std::optional<uint64_t> declared;
  bool zip64 = false;
  bool poisoned = false;
};

void write_repeated_zip(const fs::path& path, const Repeated& r) {
  z_stream z{};
  ASSERT_EQ(deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
  const std::string head = deflate_piece(z, r.head, Z_FULL_FLUSH);
  const std::string body = deflate_piece(z, r.body, Z_FULL_FLUSH);
  const std::string body_again = deflate_piece(z, r.body, Z_FULL_FLUSH);
  const std::string tail = r.poisoned ? std::string(1, '\x07') : deflate_piece(z, "", Z_FINISH);
  deflateEnd(&z);
  ASSERT_EQ(body, body_again) << "a full-flushed piece must not depend on what came before";
  const auto crc_of = [](std::string_view s) {
    return crc32_z(0, reinterpret_cast<const Bytef*>(s.data()), s.size());
  };
  uLong crc = crc_of(r.head);
  const uLong body_crc = crc_of(r.body);
  for (uint64_t i = 0; i < r.repeat; ++i)
    crc = crc32_combine64(crc, body_crc, static_cast<z_off64_t>(r.body.size()));
  snapdelta::generate::ZipEntry e;
  e.name = "transactions.csv";
  auto span = [](const std::string& s) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  e.deflate_pieces.push_back(span(head));
  for (uint64_t i = 0; i < r.repeat; ++i) e.deflate_pieces.push_back(span(body));
  e.deflate_pieces.push_back(span(tail));
  const uint64_t size = r.head.size() + r.repeat * r.body.size();
  e.uncompressed_size = r.declared.value_or(size);
  e.crc32 = static_cast<uint32_t>(crc);
  e.force_zip64 = r.zip64;
  fs::create_directories(path.parent_path());
  snapdelta::generate::write_zip(path.string(), e);
}

// Escapes a literal for use inside a std::regex.
std::string regex_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// The rest of a refusal after the drop's path, for the errors the tests below provoke.
const std::string kLineTooLong = ": expected a line of at most 1048576 bytes, found a longer one";
std::string declared_size(const std::string& bytes, const std::string& found) {
  return ": expected [^ ]+\\.csv to inflate to the " + bytes +
         " bytes the archive declares, found " + found + " \\(corrupt zip\\)";
}
const std::string kNoCentralDirectory =
    ": expected a zip archive, found a zip archive without a valid central directory "
    "\\(truncated\\)";
const std::string kCorruptCentralDirectory =
    ": expected a zip central directory( entry)?, found corrupt bytes";
const std::string kCorruptDeflate =
    ": expected deflate data in [^ ]+\\.csv, found corrupt bytes near compressed byte "
    "[0-9]+ \\(.+\\)|: expected deflate data in [^ ]+\\.csv to its end, found corrupt "
    "bytes at the end";
const std::string kWrongCrc =
    ": expected the CRC-32 [0-9a-f]{8} the archive declares for [^ ]+\\.csv, found "
    "[0-9a-f]{8} \\(corrupt zip\\)";
// A CSV error at a line and column (a flipped bit that still inflates).
const std::string kCsvError = ":[1-9][0-9]*:[1-9][0-9]*: expected [^\n]+, found [^\n]+";

const std::string kHeader = "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";

// ---- the fixture: a database holding two clients, one of which receives a hostile day 2 --------

class HostileInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = make_scratch("hostile");
    ASSERT_FALSE(scratch_.empty());
    data_ = scratch_ / "data";
    const ChildResult g =
        run({"generate", "--data-dir", data_.string(), "--clients", "1", "--days", "2",
             "--base-rows", "2000", "--rows-per-day", "500", "--skus", "100", "--threads", "1"},
            scratch_);
    ASSERT_TRUE(g.ok()) << describe(g);
    fs::create_directories(data_ / "evil");
    fs::copy_file(data_ / "client_1" / "transactions_day_1.zip",
                  data_ / "evil" / "transactions_day_1.zip");
    seed_db_ = scratch_ / "seed.db";
    for (const auto& [client, day] :
         std::vector<std::pair<std::string, int>>{{"client_1", 2}, {"evil", 1}}) {
      const ChildResult r = run(args("incremental", client, day, seed_db_), scratch_);
      ASSERT_TRUE(r.ok()) << describe(r);
    }
  }
  static void TearDownTestSuite() { remove_scratch(scratch_); }
  void TearDown() override { fs::remove(hostile()); }

  static std::vector<std::string> args(const std::string& mode, const std::string& client, int day,
                                       const fs::path& db) {
    return {"run",        "--mode",       mode,   "--client", client, "--day", std::to_string(day),
            "--data-dir", data_.string(), "--db", db.string()};
  }
  static fs::path hostile() { return data_ / "evil" / "transactions_day_2.zip"; }

  // Runs full and incremental day 2 of "evil" against a copy of the seed database and against no
  // database: each must exit 2 with one line, the drop's path followed by one of `shapes` (regular
  // expressions for the rest of the line: `[:line:column]: expected ..., found ...`), leave the
  // database as it was (or absent), and stay under `max_rss_mb` of memory (ASan's shadow memory
  // and quarantine take more: 400 MB there, as for the other bounds here).
  static void expect_refused(const std::vector<std::string>& shapes,
                             long max_rss_mb = kAsan ? 400 : 100, const Limits& limits = {}) {
    const fs::path db = scratch_ / "trial.db";
    for (const std::string mode : {"full", "incremental"}) {
      for (const bool fresh : {false, true}) {
        SCOPED_TRACE(mode + (fresh ? " on no database" : " on a database with state"));
        remove_db(db);
        if (!fresh) fs::copy_file(seed_db_, db);
        const std::string before = dump(db);
        const ChildResult r = run(args(mode, "evil", 2, db), scratch_, limits);
        EXPECT_EQ(r.exit_code, 2) << describe(r);
        EXPECT_EQ(count_lines(r.err), 1u) << r.err.substr(0, 2000);
        EXPECT_TRUE(std::any_of(
            shapes.begin(), shapes.end(),
            [&](const std::string& shape) {
              return std::regex_match(
                  r.err, std::regex(regex_escape(hostile().string()) + "(?:" + shape + ")\n"));
            }))
            << "expected the drop's path, then one of the shapes, found: " << r.err;
        EXPECT_TRUE(r.out.empty()) << r.out;
        EXPECT_LT(r.max_rss_kb, max_rss_mb * 1024) << "peak RSS " << r.max_rss_kb / 1024 << " MB";
        EXPECT_EQ(dump(db), before) << "a refused run changed the database";
        if (fresh) {
          EXPECT_FALSE(fs::exists(db)) << "a failed first run left a database file behind";
        } else {
          EXPECT_EQ(Db(db).integrity(), "ok\n");
        }
      }
    }
  }

  static inline fs::path scratch_, data_, seed_db_;
};

// ASan keeps a large quarantine and shadow memory: allow it more than a plain build needs.
constexpr long kRssLimitMb = kAsan ? 400 : 100;
// An address-space limit stops a run that tries to allocate by a declared size; ASan reserves
// terabytes of address space up front, so it runs without one.
const Limits kAddressLimit = kAsan ? Limits{} : Limits{rlim_t{1} << 30, 0};

TEST_F(HostileInputTest, ALineOverOneMebibyteIsAnError) {
  Repeated r;
  r.head = kHeader + "1,2025-10-01,SKU-1,1,1.00\n2,2025-10-01,SKU-";
  r.body = std::string(1 << 16, 'x');
  r.repeat = 24;  // a 1.5 MiB SKU
  write_repeated_zip(hostile(), r);
  expect_refused({":3:1" + kLineTooLong}, kRssLimitMb, kAddressLimit);
}

TEST_F(HostileInputTest, AnEntryClaimingTenGibibytesOverSmallDataIsAnError) {
  Repeated r;
  r.head = kHeader + "1,2025-10-01,SKU-1,1,1.00\n";
  r.declared = uint64_t{10} << 30;
  r.zip64 = true;
  write_repeated_zip(hostile(), r);
  expect_refused({declared_size("10737418240", std::to_string(r.head.size()))}, kRssLimitMb,
                 kAddressLimit);
}

TEST_F(HostileInputTest, AnEntryClaimingLittleButInflatingToMuchIsAnErrorEarly) {
  Repeated r;
  r.head = kHeader;
  r.body = std::string(1 << 20, '\n');  // blank lines: valid CSV, 64 MiB of it
  r.repeat = 64;
  r.declared = 4096;
  r.poisoned = true;  // a run that inflated everything would report the corrupt end instead
  write_repeated_zip(hostile(), r);
  const auto t0 = std::chrono::steady_clock::now();
  expect_refused({declared_size("4096", "more")}, kRssLimitMb, kAddressLimit);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(kAsan ? 600 : 120))
      << "hang guard";
}

TEST_F(HostileInputTest, AZipBombOfOneGibibyteOfZerosFailsFastInBoundedMemory) {
  Repeated r;
  r.body = std::string(1 << 20, '\0');
  r.repeat = 1024;    // 1 GiB of zeros in about 1 MB
  r.poisoned = true;  // a run that inflated everything would report the corrupt end instead
  write_repeated_zip(hostile(), r);
  ASSERT_LT(fs::file_size(hostile()), 2u << 20);
  const auto t0 = std::chrono::steady_clock::now();
  expect_refused({":1:1" + kLineTooLong}, kRssLimitMb, kAddressLimit);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(kAsan ? 600 : 120))
      << "hang guard";
}

// Not hostile but absurd: 256 MiB of valid rows in about 0.3 MB. It must succeed, in memory that
// follows the chunk size and the number of groups, not the file size.
TEST_F(HostileInputTest, AHighlyCompressibleValidDropStreamsInBoundedMemory) {
  const std::string row = "12345678,2025-10-02,SKU-7,3,12.34\n";
  Repeated r;
  r.head = kHeader;
  for (size_t i = 0; i < (1 << 20) / row.size(); ++i) r.body += row;
  r.repeat = kAsan ? 32 : 256;
  write_repeated_zip(hostile(), r);
  const uint64_t rows = r.repeat * ((1 << 20) / row.size());
  const fs::path db = scratch_ / "trial.db";
  for (const std::string mode : {"full", "incremental"}) {
    remove_db(db);
    fs::copy_file(seed_db_, db);
    const ChildResult res = run(args(mode, "evil", 2, db), scratch_, kAddressLimit);
    ASSERT_TRUE(res.ok()) << describe(res);
    EXPECT_LT(res.max_rss_kb, kRssLimitMb * 1024)
        << mode << ": peak RSS " << res.max_rss_kb / 1024 << " MB";
    const std::string totals = Db(db).query(
        "SELECT transaction_date, sku_id, total_quantity, total_revenue_cents, order_count FROM "
        "processed_sales "
        "WHERE client_id='evil'");
    EXPECT_EQ(totals, "2025-10-02|SKU-7|" + std::to_string(3 * rows) + "|" +
                          std::to_string(1234 * rows) + "|" + std::to_string(rows) + "\n")
        << mode;
  }
}

// A genuine ZIP64 drop (over 4 GiB uncompressed, in about 4 MB) is valid and must aggregate like
// any other. Long mode only (SNAPDELTA_LONG=1): it inflates and parses 4 GiB per run.
TEST_F(HostileInputTest, AValidZip64DropOverFourGibibytesIsAggregated) {
  if (!long_mode()) GTEST_SKIP() << "inflates 4 GiB per run; set SNAPDELTA_LONG=1";
  const std::string row = std::string(1000, '7') + ",2025-10-02,SKU-7,3,12.34\n";
  Repeated r;
  r.head = kHeader;
  for (size_t i = 0; i < (1 << 20) / row.size(); ++i) r.body += row;
  r.repeat = 4200;  // 4.1 GiB
  r.zip64 = true;
  write_repeated_zip(hostile(), r);
  const uint64_t rows = r.repeat * ((1 << 20) / row.size());
  const fs::path db = scratch_ / "trial.db";
  for (const std::string mode : {"full", "incremental"}) {
    remove_db(db);
    fs::copy_file(seed_db_, db);
    const ChildResult res = run(args(mode, "evil", 2, db), scratch_);
    ASSERT_TRUE(res.ok()) << describe(res);
    EXPECT_EQ(Db(db).query(
                  "SELECT total_quantity, order_count FROM processed_sales WHERE client_id='evil'"),
              std::to_string(3 * rows) + "|" + std::to_string(rows) + "\n")
        << mode;
  }
}

TEST_F(HostileInputTest, BrokenArchivesAreErrors) {
  // Start from a valid day 2: client_1's, which extends evil's day 1.
  const std::string valid = slurp(data_ / "client_1" / "transactions_day_2.zip");
  const auto write = [&](const std::string& bytes) {
    std::ofstream(hostile(), std::ios::binary | std::ios::trunc) << bytes;
  };
  std::string flipped = valid;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x10);
  std::string bad_crc = valid;
  bad_crc[valid.rfind(std::string("PK\x01\x02", 4)) + 16] ^= 0x01;
  bad_crc[valid.find(std::string("PK\x03\x04", 4)) + 14] ^= 0x01;
  struct Shaped {
    std::string name, bytes;
    std::vector<std::string> shapes;
  };
  const std::vector<Shaped> cases{
      {"empty file", "", {": expected a zip archive, found an empty file"}},
      {"not a zip",
       "transaction_id,transaction_date\n",
       {regex_escape(
           ": expected a zip archive, found text \"transaction_id,transaction_date\\x0a\"")}},
      {"truncated in half", valid.substr(0, valid.size() / 2), {kNoCentralDirectory}},
      {"central directory cut",
       valid.substr(0, valid.size() - 10),
       {kNoCentralDirectory, kCorruptCentralDirectory}},
      // Depending on the bit: invalid deflate, a valid stream with other bytes (a CSV error or
      // the CRC-32 check), or a size mismatch.
      {"a flipped bit mid-stream",
       flipped,
       {kCorruptDeflate, kWrongCrc, kCsvError, declared_size("[0-9]+", "([0-9]+|more)")}},
      {"a wrong CRC-32", bad_crc, {kWrongCrc}},
  };
  for (const Shaped& c : cases) {
    SCOPED_TRACE(c.name);
    write(c.bytes);
    expect_refused(c.shapes);
  }
}

TEST_F(HostileInputTest, AnArchiveWithTwoFilesIsAnError) {
  // write_zip makes one member; append a second with minizip.
  write_repeated_zip(hostile(), Repeated{kHeader, "", 0, std::nullopt, false, false});
  zipFile zf = zipOpen64(hostile().c_str(), APPEND_STATUS_ADDINZIP);
  ASSERT_NE(zf, nullptr);
  ASSERT_EQ(zipOpenNewFileInZip64(zf, "second.csv", nullptr, nullptr, 0, nullptr, 0, nullptr,
                                  Z_DEFLATED, 6, 0),
            ZIP_OK);
  ASSERT_EQ(zipWriteInFileInZip(zf, kHeader.data(), static_cast<unsigned>(kHeader.size())), ZIP_OK);
  ASSERT_EQ(zipCloseFileInZip(zf), ZIP_OK);
  ASSERT_EQ(zipClose(zf, nullptr), ZIP_OK);
  expect_refused(
      {regex_escape(": expected one CSV member, found 2 files (transactions.csv, "
                    "second.csv); name the one to read with entry = \"GLOB\" in the "
                    "job's [source]")});
}

// ---- the fuzz targets' entry points
// ----------------------------------------------------------------

// Every crash input the fuzzers found (scripts/fuzz.sh saves them as fuzz/regressions/<target>-*)
// must now pass through the same entry point without a crash, a sanitizer report or a broken
// property. The folder also holds each target's seed inputs (<target>-seed-*), so every target
// replays real inputs: at least one file per target is required.
TEST(FuzzRegressions, EveryCrashInputPassesItsTarget) {
  const fs::path dir = fs::path(SNAPDELTA_SOURCE_DIR) / "fuzz" / "regressions";
  std::map<std::string, size_t> replayed{{"csv_parser_fuzz", 0},
                                         {"zip_inflate_fuzz", 0},
                                         {"gzip_reader_fuzz", 0},
                                         {"zstd_reader_fuzz", 0}};
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  for (const auto& f : fs::directory_iterator(dir)) {
    const std::string name = f.path().filename().string();
    if (name == "README.md") continue;
    const std::string bytes = slurp(f.path());
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    SCOPED_TRACE(name);
    if (name.rfind("csv_parser_fuzz-", 0) == 0) {
      EXPECT_NO_THROW(snapdelta::fuzz_csv::csv_parser_one_input(data, bytes.size()));
      ++replayed["csv_parser_fuzz"];
    } else if (name.rfind("zip_inflate_fuzz-", 0) == 0) {
      EXPECT_NO_THROW(snapdelta::fuzz_zip::zip_inflate_one_input(data, bytes.size()));
      ++replayed["zip_inflate_fuzz"];
    } else if (name.rfind("gzip_reader_fuzz-", 0) == 0) {
      EXPECT_NO_THROW(snapdelta::fuzz_gzip::gzip_reader_one_input(data, bytes.size()));
      ++replayed["gzip_reader_fuzz"];
    } else if (name.rfind("zstd_reader_fuzz-", 0) == 0) {
      EXPECT_NO_THROW(snapdelta::fuzz_zstd::zstd_reader_one_input(data, bytes.size()));
      ++replayed["zstd_reader_fuzz"];
    } else {
      ADD_FAILURE() << "fuzz/regressions/" << name
                    << ": expected a name starting with a fuzz target's name";
    }
  }
  for (const auto& [target, n] : replayed) {
    std::printf("[ fuzz     ] %s: %zu regression inputs replayed\n", target.c_str(), n);
    EXPECT_GE(n, 1u) << "expected at least one fuzz/regressions/" << target << "-* input";
  }
}

// The targets' properties hold on inputs known to be good, so a property that fires means a bug.
TEST(FuzzTargets, PropertiesHoldOnValidInputs) {
  const std::string csv =
      kHeader +
      "1,2025-10-01,SKU-1,2,3.50\r\n2,\"2025-10-02\",\"SKU,2\",-1,0.5\n\n3,2025-10-01,SKU-1,1,1";
  for (uint8_t start : {0, 1, 3, 0x41}) {
    for (uint32_t seed : {1u, 7u, 0xdeadbeefu}) {
      std::string in(1, static_cast<char>(start));
      in.append(reinterpret_cast<const char*>(&seed), 4);
      in += start & 1 ? csv.substr(kHeader.size()) : csv;
      EXPECT_NO_THROW(snapdelta::fuzz_csv::csv_parser_one_input(
          reinterpret_cast<const uint8_t*>(in.data()), in.size()));
    }
  }
  // Mode 2 with no mutation: every captured checkpoint resumes its own stream.
  for (int cp = 0; cp < 16; ++cp) {
    const uint8_t in[] = {2, static_cast<uint8_t>(cp), 0};
    EXPECT_NO_THROW(snapdelta::fuzz_zip::zip_inflate_one_input(in, sizeof in))
        << "checkpoint " << cp;
  }
  // Mode 0 on a real archive, capture starting at its first byte: zlib and ISA-L agree and every
  // captured checkpoint resumes to the same bytes.
  const fs::path zip =
      fs::path("/tmp") / ("snapdelta-fuzz-valid-" + std::to_string(::getpid()) + ".zip");
  Repeated r;
  r.head = kHeader;
  for (int i = 0; i < 3000; ++i)
    r.body += std::to_string(i) + ",2025-10-0" + std::to_string(1 + i % 9) + ",SKU-" +
              std::to_string(i % 37) + ",1,2.50\n";
  r.repeat = 1;
  write_repeated_zip(zip, r);
  const std::string archive = std::string(5, '\0') + slurp(zip);
  fs::remove(zip);
  EXPECT_NO_THROW(snapdelta::fuzz_zip::zip_inflate_one_input(
      reinterpret_cast<const uint8_t*>(archive.data()), archive.size()));
  // Mode 1: a valid stream with each kind of declared size, and the same stream truncated.
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 1, Z_DEFAULT_STRATEGY);
  const std::string deflated = deflate_piece(z, kHeader + r.body, Z_FINISH);
  deflateEnd(&z);
  for (uint8_t how : {0, 1, 2, 3, 4, 7, 0x21}) {
    for (const size_t cut : {size_t{0}, size_t{3}}) {
      std::string in = {'\x01', static_cast<char>(how), 0, 0, 0x01, 0x00};
      in += deflated.substr(0, deflated.size() - cut);
      EXPECT_NO_THROW(snapdelta::fuzz_zip::zip_inflate_one_input(
          reinterpret_cast<const uint8_t*>(in.data()), in.size()))
          << "how " << int{how} << " cut " << cut;
    }
  }
}

}  // namespace
