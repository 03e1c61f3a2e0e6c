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
#include <sqlite3.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// ---- child processes -------------------------------------------------------------------------

struct ChildResult {
  int exit_code = -1;  // when not signaled
  int signal = 0;      // the signal that ended the child, or 0
  std::string out, err;
  long max_rss_kb = 0;
  double ms = 0;
  bool ok() const { return signal == 0 && exit_code == 0; }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Resource limits for a child; 0 leaves a limit alone. A file size limit also ignores SIGXFSZ, so
// that writes past it fail with EFBIG instead of killing the child.
struct Limits {
  rlim_t address_space = 0;
  rlim_t file_size = 0;
};

// A `snapdelta` child with stdout/stderr captured in files under `scratch`.
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& scratch, const Limits& limits = {}) {
    static int counter = 0;
    const std::string tag = std::to_string(::getpid()) + "-" + std::to_string(++counter);
    out_ = scratch / ("child-" + tag + ".out");
    err_ = scratch / ("child-" + tag + ".err");
    std::vector<std::string> argv_s{SNAPDELTA_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    start_ = std::chrono::steady_clock::now();
    std::fflush(nullptr);  // or the child would flush the parent's buffered output a second time
    pid_ = ::fork();
    if (pid_ == 0) {
      const int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (out < 0 || err < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) _exit(126);
      if (limits.address_space) {
        const struct rlimit as { limits.address_space, limits.address_space };
        if (::setrlimit(RLIMIT_AS, &as) != 0) _exit(125);
      }
      if (limits.file_size) {
        std::signal(SIGXFSZ, SIG_IGN);
        const struct rlimit fsize { limits.file_size, limits.file_size };
        if (::setrlimit(RLIMIT_FSIZE, &fsize) != 0) _exit(125);
      }
      ::execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && !done_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  pid_t pid() const { return pid_; }
  void kill() { ::kill(pid_, SIGKILL); }
  ChildResult wait() {
    ChildResult r;
    int status = 0;
    struct rusage ru {};
    while (::wait4(pid_, &status, 0, &ru) < 0 && errno == EINTR) {
    }
    done_ = true;
    r.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
               .count();
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    r.max_rss_kb = ru.ru_maxrss;
    r.out = slurp(out_);
    r.err = slurp(err_);
    fs::remove(out_);
    fs::remove(err_);
    return r;
  }

 private:
  pid_t pid_ = -1;
  bool done_ = false;
  fs::path out_, err_;
  std::chrono::steady_clock::time_point start_;
};

ChildResult run(const std::vector<std::string>& args, const fs::path& scratch,
                const Limits& limits = {}) {
  return Child(args, scratch, limits).wait();
}

std::string describe(const ChildResult& r) {
  return "exit " + std::to_string(r.exit_code) + " signal " + std::to_string(r.signal) +
         "\nstdout: " + r.out + "\nstderr: " + r.err;
}

// ---- reading a database with the SQLite C API ---------------------------------------------------

struct Row {
  std::string date, sku;
  int64_t quantity = 0, cents = 0, count = 0;
  bool operator==(const Row&) const = default;
};

class Db {
 public:
  explicit Db(const fs::path& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      sqlite3_close(db_);
      db_ = nullptr;
    }
    if (db_) sqlite3_busy_timeout(db_, 10000);
  }
  ~Db() { sqlite3_close(db_); }
  bool open() const { return db_ != nullptr; }
  // Every row of the query, columns joined by '|', rows by '\n'; "" when the query cannot run.
  std::string query(const std::string& sql, const std::string& param = "") const {
    if (!db_) return "<no database>";
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
      return "<" + std::string(sqlite3_errmsg(db_)) + ">";
    if (!param.empty()) sqlite3_bind_text(s, 1, param.c_str(), -1, SQLITE_TRANSIENT);
    std::string out;
    while (sqlite3_step(s) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        if (c) out += '|';
        const auto* t = sqlite3_column_text(s, c);
        out.append(t ? reinterpret_cast<const char*>(t) : "NULL",
                   t ? sqlite3_column_bytes(s, c) : 4);
      }
      out += '\n';
    }
    sqlite3_finalize(s);
    return out;
  }
  std::vector<Row> rows(const std::string& client) const {
    std::vector<Row> out;
    if (!db_) return out;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(
            db_,
            "SELECT transaction_date, sku_id, total_quantity, total_revenue_cents, order_count "
            "FROM processed_sales WHERE client_id=? ORDER BY transaction_date, sku_id",
            -1, &s, nullptr) != SQLITE_OK) {
      return out;  // no table yet: no rows
    }
    sqlite3_bind_text(s, 1, client.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(s) == SQLITE_ROW) {
      out.push_back(Row{reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                        reinterpret_cast<const char*>(sqlite3_column_text(s, 1)),
                        sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3),
                        sqlite3_column_int64(s, 4)});
    }
    sqlite3_finalize(s);
    return out;
  }
  std::string integrity() const { return query("PRAGMA integrity_check"); }
  // The stored state's day for a client, 0 when none.
  int state_day(const std::string& client) const {
    const std::string d = query("SELECT day FROM snapdelta_state WHERE client_id=?", client);
    return d.empty() || d[0] == '<' ? 0 : std::atoi(d.c_str());
  }

 private:
  sqlite3* db_ = nullptr;
};

void remove_db(const fs::path& db) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db.string() + suffix);
}

std::string dump(const fs::path& path) {
  if (!fs::exists(path)) return "<no database file>";
  Db db(path);
  return db.query("SELECT * FROM processed_sales ORDER BY 1, 2, 3") + "--\n" +
         db.query("SELECT * FROM snapdelta_state ORDER BY 1") + "--\n" +
         db.query(
             "SELECT client_id, seq, in_byte, bits, low_bits, compressed_hash, out_offset, "
             "tail_hash, "
             "hex(window) FROM snapdelta_checkpoint ORDER BY 1, 2");
}

size_t count_lines(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

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
    char tmpl[] = "/tmp/snapdelta-iofault-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    scratch_ = tmpl;
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
    if (!scratch_.empty() && !std::getenv("SNAPDELTA_KEEP_SCRATCH")) fs::remove_all(scratch_);
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
