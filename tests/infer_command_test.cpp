// `snapdelta infer DROP`: the job file it prints for a drop in each container (written here with
// minizip, zlib and libzstd directly) names the drop's columns with their types, proposes a
// pattern with the drop's extension, and parses as a job once its table is uncommented; a file
// that is no drop, and a missing one, fail in one line naming it, exit 2, nothing on stdout.
#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <string>
#include <vector>

#include "job/job_file.h"
#include "test_support.h"

namespace snapdelta {
namespace {

using test::gzip_of;
using test::TempDir;
using test::zstd_of;

const std::string kCsv =
    "Invoice Date,Account,Service Name,Usage Qty,Cost $\n"
    "2026-11-01,acme,compute,12,3.50\n"
    "2026-11-01,acme,storage,,0.125\n"
    "2026-11-02,globex,compute,7,1.10\n"
    "2026-11-02,acme,compute,3,0.75\n";

// The printed job with its proposed table uncommented.
std::string uncommented(const std::string& toml) {
  std::string out;
  size_t at = 0;
  bool in_table = false;
  while (at < toml.size()) {
    size_t end = toml.find('\n', at);
    if (end == std::string::npos) end = toml.size();
    std::string line = toml.substr(at, end - at);
    if (line == "# [[table]]") in_table = true;
    if (in_table && line.rfind("# ", 0) == 0) line = line.substr(2);
    out += line + "\n";
    at = end + 1;
  }
  return out;
}

class InferCommand : public ::testing::TestWithParam<const char*> {
 protected:
  TempDir dir_{"infer"};
};

TEST_P(InferCommand, PrintsTheDropsColumnsAsAJobThatParses) {
  const std::string ext = GetParam();
  const std::string folder = dir_ / "acme";
  std::filesystem::create_directories(folder);
  const std::string drop = folder + "/costs_day_3" + ext;
  if (ext == ".zip") {
    test::write_zip_text(drop, kCsv);
  } else if (ext == ".csv.gz") {
    test::write_file(drop, gzip_of(kCsv));
  } else if (ext == ".csv.zst") {
    test::write_file(drop, zstd_of(kCsv));
  } else {
    test::write_file(drop, kCsv);
  }
  const test::ProcessResult r = test::run_snapdelta({"infer", drop}, dir_.str());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("pattern = \"{client}/costs_day_{day}" + ext + "\""), std::string::npos)
      << r.out;
  for (const char* line :
       {"invoice_date = { from = \"Invoice Date\", type = \"date\" }", "Account = \"string\"",
        "service_name = { from = \"Service Name\", type = \"string\" }",
        "usage_qty = { from = \"Usage Qty\", type = \"int\" }",
        "cost = { from = \"Cost $\", type = \"decimal(3)\" }", "null = [\"\"]"}) {
    EXPECT_NE(r.out.find(std::string(line) + "\n"), std::string::npos) << line << "\n" << r.out;
  }
  const Job job = parse_job(uncommented(r.out), "inferred.toml");
  EXPECT_EQ(job.columns.size(), 5u);
  ASSERT_EQ(job.tables.size(), 1u);
  EXPECT_FALSE(job.tables[0].measures.empty());
}

INSTANTIATE_TEST_SUITE_P(Containers, InferCommand,
                         ::testing::Values(".zip", ".csv.gz", ".csv", ".csv.zst"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n) c = c == '.' ? '_' : c;
                           return "ext" + n;
                         });

TEST(InferCommandErrors, NoDropOrNotADropIsOneLineNamingTheFile) {
  TempDir dir("infer_err");
  const std::string missing = dir / "nope.zip";
  test::ProcessResult r = test::run_snapdelta({"infer", missing}, dir.str());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, missing + ": expected a drop file to read, found no such file\n");

  const std::string junk = dir / "junk.bin";
  test::write_file(junk, std::string("\x01\x02\x03\x04\xff", 5));
  r = test::run_snapdelta({"infer", junk}, dir.str());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, junk +
                       ": expected a drop (a zip, gzip or zstd file, or CSV text), found binary "
                       "data (bytes 01 02 03 04)\n");
}

TEST(InferCommandErrors, EmptyFileOrHeaderNameTwiceIsOneLine) {
  TempDir dir("infer_err");
  const std::string empty = dir / "empty_1.csv";
  test::write_file(empty, "");
  test::ProcessResult r = test::run_snapdelta({"infer", empty}, dir.str());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, empty + ": expected a header line, found an empty file\n");

  const std::string twice = dir / "twice_1.csv";
  test::write_file(twice, "a,b,a\n1,2,3\n");
  r = test::run_snapdelta({"infer", twice}, dir.str());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, twice + ":1: expected each header name once, found \"a\" at fields 1 and 3\n");
}

TEST(InferCommandErrors, PatternThatDoesNotMatchTheDropIsAWarning) {
  TempDir dir("infer_warn");
  std::filesystem::create_directories(dir / "c1");
  const std::string drop = dir / "c1/rep_007.csv";
  test::write_file(drop, kCsv);
  test::ProcessResult r = test::run_snapdelta({"infer", drop}, dir.str());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, drop +
                       ": warning: rep_007.csv does not match this pattern: leading zero; the "
                       "pattern reads 7 as c1/rep_7.csv; rename the drops or edit the pattern\n");
  EXPECT_NE(r.out.find("# rep_007.csv does not match this pattern"), std::string::npos) << r.out;

  const std::string latest = dir / "c1/latest.csv";
  test::write_file(latest, kCsv);
  r = test::run_snapdelta({"infer", latest}, dir.str());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, latest +
                       ": warning: latest.csv does not match this pattern: its name has no number "
                       "or date for {day}; rename the drops or edit the pattern\n");
}

}  // namespace
}  // namespace snapdelta
