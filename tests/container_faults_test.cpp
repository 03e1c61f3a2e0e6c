// Each container's faults, day 2 damaged after day 1 applied: a truncated file, a bad checksum,
// trailing garbage, data that does not decode, an empty file, bytes that are not the declared
// container (a zip's trailing garbage, and a gzip file or text named .zip, too). Each fails with
// one line naming the file and saying what it found, and the database is left as day 1 left it.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "common/error.h"
#include "generate/generator.h"
#include "test_support.h"

using namespace snapdelta;
using test::TempDir;

namespace {

struct Fault {
  std::string name;
  std::function<std::string(std::string)> damage;  // day 2's bytes, damaged
  std::string says;                                // words the message holds
};

struct FaultSetup {
  generate::Container container;
  std::string extension;
  std::vector<Fault> faults;
};

std::string flip(std::string bytes, size_t from_end) {
  bytes[bytes.size() - from_end] = static_cast<char>(bytes[bytes.size() - from_end] ^ 0x55);
  return bytes;
}

RunOptions options(const std::string& data, const std::string& db, const std::string& extension,
                   int day) {
  RunOptions o;
  o.client = "client_1";
  o.day = day;
  o.data_dir = data;
  o.job = &test::builtin_job_named("{client}/transactions_day_{day}." + extension);
  o.db_path = db;
  o.busy_timeout_ms = 10000;
  return o;
}

void check(const FaultSetup& s, const Fault& f) {
  SCOPED_TRACE(std::string(generate::container_option(s.container)) + ": " + f.name);
  TempDir dir("faults");
  generate::Options g;
  g.data_dir = dir / "data";
  g.clients = 1;
  g.days = 2;
  g.base_rows = 3000;
  g.rows_per_day = 500;
  g.threads = 1;
  g.container = s.container;
  generate::run(g);
  const std::string db = dir / "inc.db";
  run_pipeline(options(g.data_dir, db, s.extension, 1));
  const auto before = test::db_rows(db, "client_1");
  const std::string day2 = g.data_dir + "/client_1/transactions_day_2." + s.extension;
  test::write_file(day2, f.damage(test::read_file(day2)));
  try {
    run_pipeline(options(g.data_dir, db, s.extension, 2));
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_NE(what.find("transactions_day_2"), std::string::npos) << what;
    EXPECT_NE(what.find(f.says), std::string::npos) << what;
  }
  EXPECT_EQ(test::db_rows(db, "client_1"), before);
}

std::string zip_bytes(const TempDir& dir) {
  const std::string path = dir / "x.zip";
  test::write_zip_text(path, "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n");
  return test::read_file(path);
}

std::vector<Fault> compressed_faults(const std::string& kind) {
  return {
      {"truncated", [](std::string b) { return b.substr(0, b.size() - 5); }, ""},
      {"bad checksum", [](std::string b) { return flip(b, 6); }, ""},
      {"trailing garbage", [](std::string b) { return b + "garbage"; }, ""},
      {"does not decode", [](std::string b) { return flip(flip(b, 40), 41); }, ""},
      {"empty", [](std::string) { return std::string(); }, "found an empty file"},
      {"a zip",
       [](std::string) {
         TempDir d("zip");
         return zip_bytes(d);
       },
       "expected " + kind + ", found a zip archive"},
  };
}

// A zip must end where its end record ends; bytes that are not a zip say what they are.
std::vector<Fault> zip_faults() {
  return {
      {"trailing garbage", [](std::string b) { return b + "garbage\n"; },
       "expected the end of the file after the zip end-of-central-directory record (and its "
       "0-byte comment) at byte "},
      {"truncated", [](std::string b) { return b.substr(0, b.size() / 2); },
       "expected a zip archive, found a zip archive without a valid central directory "
       "(truncated)"},
      {"a gzip file",
       [](std::string) { return std::string("\x1f\x8b\x08\x00", 4) + "not deflate"; },
       "expected a zip archive, found a gzip file"},
      {"a csv", [](std::string) { return std::string("transaction_id,transaction_date\n"); },
       "expected a zip archive, found text \"transaction_id,transaction_date\\x0a\""},
      {"empty", [](std::string) { return std::string(); }, "found an empty file"},
  };
}

const std::vector<FaultSetup>& setups() {
  static const std::vector<FaultSetup> all = {
      {generate::Container::zip, "zip", zip_faults()},
      {generate::Container::gzip, "csv.gz", compressed_faults("a gzip file")},
      {generate::Container::gzip_append, "csv.gz", compressed_faults("a gzip file")},
      {generate::Container::zstd, "csv.zst", compressed_faults("a zstd file")},
      {generate::Container::zstd_append, "csv.zst", compressed_faults("a zstd file")},
      {generate::Container::csv,
       "csv",
       {{"empty", [](std::string) { return std::string(); }, "found an empty file"},
        {"binary", [](std::string b) { return std::string("\x01\x02\x03\x04", 4) + b; },
         "found binary data"},
        {"a zip",
         [](std::string) {
           TempDir d("zip");
           return zip_bytes(d);
         },
         "expected a CSV file (text), found a zip archive"}}},
  };
  return all;
}

TEST(ContainerFaults, EachFailsInOneLineAndWritesNothing) {
  for (const FaultSetup& s : setups()) {
    for (const Fault& f : s.faults) check(s, f);
  }
}

}  // namespace
