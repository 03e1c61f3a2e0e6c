// Tests for `generate --container` (src/generate/container.h, drop_writer.h): every container
// holds the zip drop's CSV byte for byte, the append containers grow by one member or frame a day,
// the gzip drops share their compressed prefix day over day, the output is deterministic, and the
// manifest keeps drops of one container from being mixed with another's.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <minizip/unzip.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/error.h"
#include "generate/container.h"
#include "generate/generator.h"
#include "inflate_test_support.h"
#include "pipeline/drop_scan.h"
#include "source/drop.h"
#include "source/file_hash.h"
#include "source/file_reader.h"
#include "source/gzip_reader.h"
#include "source/zstd_reader.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace snapdelta;
using namespace snapdelta::generate;
using snapdelta::test::StringSink;

namespace {

constexpr int kClients = 2, kDays = 3;

Options options_for(const fs::path& dir, generate::Container container) {
  Options o;
  o.data_dir = dir.string();
  o.clients = kClients;
  o.days = kDays;
  o.base_rows = 20000;
  o.rows_per_day = 900;
  o.skus = 300;
  o.seed = 11;
  o.late_fraction = 0.1;
  o.threads = 2;
  o.container = container;
  return o;
}

fs::path drop(const fs::path& dir, int client, int day, generate::Container c) {
  return dir / fmt::format("client_{}", client) /
         fmt::format("transactions_day_{}.{}", day, drop_extension(c));
}

std::string zip_csv(const fs::path& path) {
  unzFile uf = unzOpen64(path.c_str());
  EXPECT_NE(uf, nullptr) << path;
  if (uf == nullptr) return {};
  EXPECT_EQ(unzGoToFirstFile(uf), UNZ_OK);
  EXPECT_EQ(unzOpenCurrentFile(uf), UNZ_OK);
  std::string out;
  char buf[1 << 16];
  for (int n = 0; (n = unzReadCurrentFile(uf, buf, sizeof buf)) > 0;) out.append(buf, n);
  unzCloseCurrentFile(uf);
  unzClose(uf);
  return out;
}

// The CSV a drop holds, read with snapdelta's own readers, and how many members/frames it has.
std::pair<std::string, size_t> read_drop(const fs::path& path, generate::Container c) {
  const FileReader file(path.string());
  StringSink sink;
  size_t units = 1;
  switch (c) {
    case generate::Container::zip:
      return {zip_csv(path), 1};
    case generate::Container::gzip:
    case generate::Container::gzip_append:
      units = inflate_gzip(file, sink).size();
      break;
    case generate::Container::zstd:
    case generate::Container::zstd_append:
      units = decompress_zstd(file, sink).size();
      break;
    case generate::Container::csv:
      sink.out = test::read_file(path.string());
      break;
  }
  return {sink.out, units};
}

// One generated data set per container, shared by the tests below.
class GenerateContainers : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new fs::path(fs::temp_directory_path() /
                         ("snapdelta_containers_test_" + std::to_string(getpid())));
    fs::remove_all(*root_);
    for (const std::string& name : container_options()) {
      const generate::Container c = *parse_container(name);
      run(options_for(dir(c), c));
    }
  }
  static void TearDownTestSuite() {
    fs::remove_all(*root_);
    delete root_;
  }
  static fs::path dir(generate::Container c) { return *root_ / std::string(container_option(c)); }

  static fs::path* root_;
};
fs::path* GenerateContainers::root_ = nullptr;

}  // namespace

TEST_F(GenerateContainers, EveryContainerHoldsTheZipsCsvByteForByte) {
  for (const std::string& name : container_options()) {
    const generate::Container c = *parse_container(name);
    for (int client = 1; client <= kClients; ++client) {
      for (int day = 1; day <= kDays; ++day) {
        const std::string want =
            zip_csv(drop(dir(generate::Container::zip), client, day, generate::Container::zip));
        const auto [csv, units] = read_drop(drop(dir(c), client, day, c), c);
        EXPECT_EQ(csv, want) << name << " client " << client << " day " << day;
        const bool append =
            c == generate::Container::gzip_append || c == generate::Container::zstd_append;
        EXPECT_EQ(units, append ? static_cast<size_t>(day) : 1u) << name << " day " << day;
      }
    }
  }
}

TEST_F(GenerateContainers, AppendContainersAreTheDayBeforePlusOneUnit) {
  for (const generate::Container c : {generate::Container::gzip_append,
                                      generate::Container::zstd_append, generate::Container::csv}) {
    for (int day = 2; day <= kDays; ++day) {
      const std::string before = test::read_file(drop(dir(c), 1, day - 1, c).string());
      const std::string now = test::read_file(drop(dir(c), 1, day, c).string());
      ASSERT_GT(now.size(), before.size());
      EXPECT_EQ(now.substr(0, before.size()), before) << container_option(c) << " day " << day;
    }
  }
}

TEST_F(GenerateContainers, ZstdFramesCarryTheirContentSizeAndAChecksum) {
  const fs::path day2 = drop(dir(generate::Container::zstd), 1, 2, generate::Container::zstd);
  const std::vector<ZstdFrame> frames = list_zstd_frames(FileReader(day2.string()));
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(frames[0].has_checksum);
  EXPECT_EQ(frames[0].content_size,
            zip_csv(drop(dir(generate::Container::zip), 1, 2, generate::Container::zip)).size());
  const fs::path appended =
      drop(dir(generate::Container::zstd_append), 1, 3, generate::Container::zstd_append);
  for (const ZstdFrame& f : list_zstd_frames(FileReader(appended.string()))) {
    EXPECT_TRUE(f.has_checksum);
  }
}

TEST_F(GenerateContainers, GzipDropsAreTheZipsDeflateStreamAndShareTheirPrefixDayOverDay) {
  const std::string day2 = test::read_file(
      drop(dir(generate::Container::gzip), 1, 2, generate::Container::gzip).string());
  const std::string day3 = test::read_file(
      drop(dir(generate::Container::gzip), 1, 3, generate::Container::gzip).string());
  EXPECT_EQ(day2.substr(0, 10), std::string("\x1f\x8b\x08\0\0\0\0\0\0\x03", 10));
  const test::ZipMember zip = test::read_zip_member(
      drop(dir(generate::Container::zip), 1, 2, generate::Container::zip).string());
  EXPECT_EQ(day2.substr(10, day2.size() - 18), zip.deflate)
      << "the gzip member is the zip's stream";
  size_t shared = 0;
  while (shared < day2.size() && day2[shared] == day3[shared]) ++shared;
  // All but the last blocks (zlib level 6 cuts a block every 16K symbols).
  EXPECT_LT(day2.size() - shared, 32u * 1024) << shared << " of " << day2.size();
}

// What the checkpoint route of a rewritten gzip stands on: a whole-drop scan of day 2 (a full or
// first run) leaves checkpoints near its end, with the file's end as a boundary, and the furthest
// one's compressed prefix is still day 3's.
TEST_F(GenerateContainers, AGzipDropsWholeScanLeavesCheckpointsTheNextDayShares) {
  const Drop day2(drop(dir(generate::Container::gzip), 1, 2, generate::Container::gzip).string());
  const Drop day3(drop(dir(generate::Container::gzip), 1, 3, generate::Container::gzip).string());
  const ScanResult r = scan_whole_drop(day2, 1);
  ASSERT_FALSE(r.scan.checkpoints.empty());
  ASSERT_TRUE(r.scan.boundary.has_value());
  EXPECT_EQ(r.scan.boundary->in_offset, day2.file().size());
  EXPECT_EQ(r.scan.boundary->out_offset, r.scan.state.bytes);
  const Checkpoint& last = r.scan.checkpoints.back();
  const uint64_t begin = day3.entry().data_offset;
  EXPECT_EQ(hash_file_range(day3.file(), begin, begin + last.prefix_end()), last.compressed_hash);
}

TEST(GenerateContainersRun, DeterministicAndFromDayWritesTheSameLaterDays) {
  const fs::path root =
      fs::temp_directory_path() / ("snapdelta_containers_det_" + std::to_string(getpid()));
  for (const generate::Container c : {generate::Container::gzip_append, generate::Container::zstd,
                                      generate::Container::zstd_append}) {
    fs::remove_all(root);
    Options a = options_for(root / "a", c);
    Options b = options_for(root / "b", c);
    b.threads = 1;
    b.from_day = 3;
    run(a);
    run(b);
    EXPECT_FALSE(fs::exists(drop(root / "b", 1, 2, c)));
    for (int client = 1; client <= kClients; ++client) {
      EXPECT_EQ(test::read_file(drop(root / "a", client, 3, c).string()),
                test::read_file(drop(root / "b", client, 3, c).string()))
          << container_option(c);
    }
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
    }
  }
  fs::remove_all(root);
}

TEST(GenerateContainersRun, AnotherContainerOverTheSameDropsIsRefusedUnlessForced) {
  const fs::path dir =
      fs::temp_directory_path() / ("snapdelta_containers_switch_" + std::to_string(getpid()));
  fs::remove_all(dir);
  Options o = options_for(dir, generate::Container::zip);
  o.clients = 1;
  o.days = 2;
  run(o);
  EXPECT_NE(
      test::read_file((dir / "snapdelta-generate.json").string()).find("\"container\":\"zip\""),
      std::string::npos);
  o.container = generate::Container::gzip;
  try {
    run(o);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              fs::absolute(dir).string() +
                  ": expected the options its drops were generated with, found --container gzip "
                  "(was zip) (pass --force to overwrite them)");
  }
  o.overwrite = Overwrite::force;
  run(o);
  EXPECT_FALSE(fs::exists(drop(dir, 1, 1, generate::Container::zip)));
  EXPECT_TRUE(fs::exists(drop(dir, 1, 2, generate::Container::gzip)));
  o.overwrite = Overwrite::refuse;
  EXPECT_TRUE(run(o).unchanged);
  fs::remove_all(dir);
}

TEST(GenerateContainersRun, TheCommandTakesContainerAndRefusesAnUnknownOne) {
  test::TempDir dir("gencli");
  const test::ProcessResult ok = test::run_snapdelta(
      {"generate", "--data-dir", dir / "data", "--clients", "1", "--days", "2", "--base-rows", "50",
       "--rows-per-day", "5", "--skus", "10", "--container", "zstd-append"},
      dir.str());
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(fs::exists(dir / "data/client_1/transactions_day_2.csv.zst"));
  const test::ProcessResult bad = test::run_snapdelta(
      {"generate", "--data-dir", dir / "data", "--container", "gzip-apend"}, dir.str());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--container: expected zip, gzip, gzip-append, csv, zstd or "
                         "zstd-append, found \"gzip-apend\" (did you mean \"gzip-append\"?)"),
            std::string::npos)
      << bad.err;
}
