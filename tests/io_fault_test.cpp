// I/O faults: a read-only or immutable database, a missing directory, a full disk, a file size
// limit, a missing or unreadable drop. Each run must fail with one line naming the file, exit
// non-zero, leave the database intact with its previous state and rows, and the next run must
// succeed once the fault is gone.
//
// The suite runs as root, so permission bits stop nothing. What works as root instead: a
// read-only tmpfs mount and a tiny tmpfs for a full disk (the process first moves into its own
// mount namespace, so no mount is visible outside it or outlives it), the immutable inode flag
// (FS_IMMUTABLE_FL, `chattr +i`) where the file system supports it, and RLIMIT_FSIZE with SIGXFSZ
// ignored (writes fail with EFBIG). A test whose mechanism the sandbox lacks is skipped, saying so.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/fs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "child_harness.h"

namespace fs = std::filesystem;

namespace {

using namespace snapdelta::test::harness;

// A tmpfs of `bytes` mounted on `dir` (inside this process's private mount namespace).
class Tmpfs {
 public:
  Tmpfs(const fs::path& dir, size_t bytes) : dir_(dir) {
    fs::create_directories(dir);
    const std::string options = "size=" + std::to_string(bytes);
    ok_ = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, options.c_str()) == 0;
    if (!ok_) error_ = std::strerror(errno);
  }
  ~Tmpfs() {
    if (ok_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  bool remount(bool read_only) {
    return ::mount(nullptr, dir_.c_str(), nullptr, MS_REMOUNT | (read_only ? MS_RDONLY : 0),
                   nullptr) == 0;
  }

 private:
  fs::path dir_;
  bool ok_ = false;
  std::string error_;
};

// Sets or clears FS_IMMUTABLE_FL (`chattr +i`); returns "" or why it could not.
std::string set_immutable(const fs::path& p, bool on) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_NONBLOCK);
  if (fd < 0) return std::strerror(errno);
  int flags = 0;
  std::string err;
  if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) {
    err = std::string("FS_IOC_GETFLAGS: ") + std::strerror(errno);
  } else {
    flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
    if (::ioctl(fd, FS_IOC_SETFLAGS, &flags) != 0)
      err = std::string("FS_IOC_SETFLAGS: ") + std::strerror(errno);
  }
  ::close(fd);
  return err;
}

// Clears the immutable flag again whatever happens, so the scratch directory can be removed.
class Immutable {
 public:
  explicit Immutable(const fs::path& p) : path_(p), error_(set_immutable(p, true)) {}
  ~Immutable() { release(); }
  void release() {
    if (error_.empty() && !released_) set_immutable(path_, false);
    released_ = true;
  }
  const std::string& error() const { return error_; }

 private:
  fs::path path_;
  std::string error_;
  bool released_ = false;
};

class IoFaultTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = make_scratch("iofault");
    ASSERT_FALSE(scratch_.empty());
    data_ = scratch_ / "data";
    const ChildResult g =
        run({"generate", "--data-dir", data_.string(), "--clients", "1", "--days", "2",
             "--base-rows", "5000", "--rows-per-day", "1000", "--skus", "200", "--threads", "1"},
            scratch_);
    ASSERT_TRUE(g.ok()) << describe(g);
    seed_ = scratch_ / "seed.db";  // client_1 through day 1
    const ChildResult s = run(args("incremental", 1, seed_), scratch_);
    ASSERT_TRUE(s.ok()) << describe(s);
    const fs::path ref = scratch_ / "ref.db";
    const ChildResult r = run(args("full", 2, ref), scratch_);
    ASSERT_TRUE(r.ok()) << describe(r);
    day2_ = Db(ref).rows("client_1");
    ASSERT_FALSE(day2_.empty());
    // A private mount namespace: the tmpfs mounts below are invisible outside this process and its
    // children, and vanish with it.
    if (::unshare(CLONE_NEWNS) != 0) {
      no_mounts_ = std::string("unshare(CLONE_NEWNS): ") + std::strerror(errno);
    } else if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
      no_mounts_ = std::string("making / private: ") + std::strerror(errno);
    }
  }
  static void TearDownTestSuite() {
    std::printf("[ faults   ] %d I/O faults injected\n", faults_);
    for (const auto& e : errors_) std::printf("[ faults   ]   %s", e.c_str());
    remove_scratch(scratch_);
  }

  static std::vector<std::string> args(const std::string& mode, int day, const fs::path& db) {
    return {
        "run",        "--mode",       mode,   "--client", "client_1", "--day", std::to_string(day),
        "--data-dir", data_.string(), "--db", db.string()};
  }

  // A failed run: exit 2, nothing on stdout, one line on stderr that starts with `place`.
  static void expect_clean_failure(const ChildResult& r, const std::string& place) {
    EXPECT_EQ(r.exit_code, 2) << describe(r);
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(count_lines(r.err), 1u) << r.err;
    EXPECT_EQ(r.err.rfind(place + ":", 0), 0u) << "the error must name " << place << ": " << r.err;
    errors_.insert(r.err.substr(r.err.find(": ") == std::string::npos ? 0 : r.err.find(": ") + 2));
  }

  // `db` still holds day 1 exactly as the seed does, intact.
  static void expect_day1(const fs::path& db) {
    EXPECT_EQ(dump(db), dump(seed_)) << "a failed run changed the database";
    Db check(db);
    EXPECT_EQ(check.integrity(), "ok\n");
    EXPECT_EQ(check.state_day("client_1"), 1);
  }

  // With the fault gone, day 2 runs and ends equal to the reference.
  static void expect_recovery(const fs::path& db) {
    const ChildResult r = run(args("incremental", 2, db), scratch_);
    ASSERT_TRUE(r.ok()) << describe(r);
    Db check(db);
    EXPECT_EQ(check.integrity(), "ok\n");
    EXPECT_TRUE(check.rows("client_1") == day2_)
        << "the run after the fault differs from the reference";
    const ChildResult v =
        run({"verify", "--client", "client_1", "--data-dir", data_.string(), "--db", db.string()},
            scratch_);
    EXPECT_TRUE(v.ok()) << describe(v);
  }

  static void copy_seed(const fs::path& to) {
    remove_db(to);
    fs::copy_file(seed_, to);
  }

  static inline fs::path scratch_, data_, seed_;
  static inline std::vector<Row> day2_;
  static inline std::string no_mounts_;
  static inline int faults_ = 0;
  static inline std::set<std::string> errors_;  // what the failures said, for the log
};

TEST_F(IoFaultTest, AReadOnlyMountedDatabaseIsRefusedAndUntouched) {
  if (!no_mounts_.empty()) GTEST_SKIP() << "no private mount namespace: " << no_mounts_;
  const fs::path dir = scratch_ / "ro";
  Tmpfs tmpfs(dir, 4 << 20);
  if (!tmpfs.ok()) GTEST_SKIP() << "cannot mount a tmpfs: " << tmpfs.error();
  const fs::path db = dir / "sales.db";
  copy_seed(db);
  ASSERT_TRUE(tmpfs.remount(true)) << std::strerror(errno);
  for (const std::string mode : {"incremental", "full"}) {
    SCOPED_TRACE(mode);
    expect_clean_failure(run(args(mode, 2, db), scratch_), db.string());
    ++faults_;
  }
  ASSERT_TRUE(tmpfs.remount(false)) << std::strerror(errno);
  expect_day1(db);
  expect_recovery(db);
}

TEST_F(IoFaultTest, AnImmutableDatabaseFileIsRefusedAndUntouched) {
  const fs::path db = scratch_ / "immutable.db";
  copy_seed(db);
  Immutable immutable(db);
  if (!immutable.error().empty())
    GTEST_SKIP() << "cannot set the immutable flag here: " << immutable.error();
  for (const std::string mode : {"incremental", "full"}) {
    SCOPED_TRACE(mode);
    expect_clean_failure(run(args(mode, 2, db), scratch_), db.string());
    ++faults_;
  }
  immutable.release();
  expect_day1(db);
  expect_recovery(db);
}

TEST_F(IoFaultTest, ADatabaseInAnImmutableDirectoryIsRefusedAndUntouched) {
  const fs::path dir = scratch_ / "immutable-dir";
  fs::create_directories(dir);
  const fs::path db = dir / "sales.db";
  copy_seed(db);
  Immutable immutable(dir);  // no -wal or -shm can be created next to the database
  if (!immutable.error().empty())
    GTEST_SKIP() << "cannot set the immutable flag here: " << immutable.error();
  for (const std::string mode : {"incremental", "full"}) {
    SCOPED_TRACE(mode);
    expect_clean_failure(run(args(mode, 2, db), scratch_), db.string());
    ++faults_;
  }
  immutable.release();
  expect_day1(db);
  expect_recovery(db);
}

TEST_F(IoFaultTest, ADatabaseInAMissingDirectoryIsRefusedAndNothingIsCreated) {
  const fs::path db = scratch_ / "no" / "such" / "dir" / "sales.db";
  for (const std::string mode : {"incremental", "full"}) {
    SCOPED_TRACE(mode);
    const ChildResult r = run(args(mode, 1, db), scratch_);
    expect_clean_failure(r, db.string());
    EXPECT_NE(r.err.find("cannot open database"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(scratch_ / "no")) << "a failed run created directories";
    ++faults_;
  }
}

TEST_F(IoFaultTest, ADirectoryGivenAsTheDatabaseIsRefused) {
  const fs::path db = scratch_ / "a-directory.db";
  fs::create_directories(db);
  for (const std::string mode : {"incremental", "full"}) {
    SCOPED_TRACE(mode);
    expect_clean_failure(run(args(mode, 1, db), scratch_), db.string());
    EXPECT_TRUE(fs::is_directory(db) && fs::is_empty(db));
    ++faults_;
  }
}

// A full disk at every stage of a run: free space from almost none (the -shm file cannot even be
// sized) to some (the WAL fills up mid-transaction or at commit).
TEST_F(IoFaultTest, AFullDiskFailsCleanlyAtEveryStageAndTheNextRunSucceeds) {
  if (!no_mounts_.empty()) GTEST_SKIP() << "no private mount namespace: " << no_mounts_;
  const fs::path dir = scratch_ / "full";
  Tmpfs tmpfs(dir, 1 << 20);
  if (!tmpfs.ok()) GTEST_SKIP() << "cannot mount a tmpfs: " << tmpfs.error();
  const fs::path db = dir / "sales.db", filler = dir / "filler";
  int failed = 0;
  for (const uint64_t free_kib : {4, 16, 36, 48, 64, 96, 128}) {
    for (const std::string mode : {"incremental", "full"}) {
      SCOPED_TRACE(mode + " with " + std::to_string(free_kib) + " KiB free");
      copy_seed(db);
      fs::remove(filler);
      struct statvfs sv {};
      ASSERT_EQ(::statvfs(dir.c_str(), &sv), 0);
      const uint64_t avail = static_cast<uint64_t>(sv.f_bavail) * sv.f_frsize;
      ASSERT_GT(avail, free_kib * 1024);
      std::ofstream(filler, std::ios::binary) << std::string(avail - free_kib * 1024, '\0');
      const ChildResult r = run(args(mode, 2, db), scratch_);
      fs::remove(filler);
      if (r.ok()) {  // enough room: the run must have done its job
        Db check(db);
        EXPECT_EQ(check.integrity(), "ok\n");
        EXPECT_TRUE(check.rows("client_1") == day2_);
        continue;
      }
      ++failed;
      ++faults_;
      expect_clean_failure(r, db.string());
      expect_day1(db);
      expect_recovery(db);
    }
  }
  EXPECT_GE(failed, 4) << "too few runs met a full disk to test anything";
}

// Writes past RLIMIT_FSIZE fail with EFBIG (SIGXFSZ ignored): like a quota running out mid-write.
TEST_F(IoFaultTest, AFileSizeLimitFailsCleanlyAndTheNextRunSucceeds) {
  int failed = 0;
  for (const rlim_t limit_kib : {1, 8, 32, 64}) {
    for (const std::string mode : {"incremental", "full"}) {
      SCOPED_TRACE(mode + " with a " + std::to_string(limit_kib) + " KiB file size limit");
      const fs::path db = scratch_ / "fsize.db";
      copy_seed(db);
      const ChildResult r = run(args(mode, 2, db), scratch_, Limits{0, limit_kib * 1024});
      if (r.ok()) {
        EXPECT_TRUE(Db(db).rows("client_1") == day2_);
        continue;
      }
      ++failed;
      ++faults_;
      expect_clean_failure(r, db.string());
      expect_day1(db);
      expect_recovery(db);
    }
  }
  EXPECT_GE(failed, 6) << "too few runs met the limit to test anything";
}

TEST_F(IoFaultTest, AMissingOrUnreadableDropIsRefusedAndTheDatabaseUntouched) {
  const fs::path db = scratch_ / "drop.db";
  for (const std::string mode : {"incremental", "full"}) {
    SCOPED_TRACE(mode);
    copy_seed(db);
    std::vector<std::string> a = args(mode, 2, db);
    a[8] = (scratch_ / "no-such-data").string();  // --data-dir
    const ChildResult missing = run(a, scratch_);
    expect_clean_failure(
        missing, (scratch_ / "no-such-data" / "client_1" / "transactions_day_2.zip").string());
    EXPECT_NE(missing.err.find("No such file or directory"), std::string::npos) << missing.err;
    ++faults_;
    // The drop is a directory.
    const fs::path odd = scratch_ / "odd-data";
    fs::create_directories(odd / "client_1" / "transactions_day_2.zip");
    a[8] = odd.string();
    expect_clean_failure(run(a, scratch_), (odd / "client_1" / "transactions_day_2.zip").string());
    ++faults_;
    expect_day1(db);
  }
  expect_recovery(db);
}

}  // namespace
