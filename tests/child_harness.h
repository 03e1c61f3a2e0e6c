// The child-process harness shared by the tests that drive the `snapdelta` binary as a separate
// process (crash, concurrency, I/O-fault and hostile-input tests).
//
// Contract:
// - Header only; everything lives in snapdelta::test::harness and is inline, so any number of
//   test files may include it. The including target must define SNAPDELTA_BINARY (the path of the
//   `snapdelta` executable) and link SQLite, as snapdelta_tests does.
// - Child runs SNAPDELTA_BINARY with the given arguments (fork + execv), stdout and stderr going to
//   files under a scratch directory, optionally under resource Limits. wait() reaps it with wait4
//   and returns a ChildResult: exit code or signal, captured output, peak RSS and wall time; the
//   capture files are removed. A Child not waited for is SIGKILLed and reaped when destroyed.
//   running() and holds_open() look at a live child without reaping it: whether it has exited
//   yet, and whether it holds one of some files open (/proc/<pid>/fd), the marker that it is
//   inside its run rather than starting up or exiting.
// - Db reads a database with the SQLite C API only (no snapdelta code), so it judges what the
//   binary wrote independently; it never creates a database file.
// - make_scratch()/remove_scratch() own a per-suite directory under /tmp; SNAPDELTA_KEEP_SCRATCH
//   keeps it for inspection.
// Nothing here asserts: the tests decide what a result must be.
#pragma once

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace snapdelta::test::harness {

namespace fs = std::filesystem;

// ---- child processes -------------------------------------------------------------------------

struct ChildResult {
  int exit_code = -1;  // when not signaled
  int signal = 0;      // the signal that ended the child, or 0
  std::string out, err;
  long max_rss_kb = 0;
  double ms = 0;
  bool ok() const { return signal == 0 && exit_code == 0; }
};

inline std::string slurp(const fs::path& p) {
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
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0 && !done_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  pid_t pid() const { return pid_; }
  void kill() { ::kill(pid_, SIGKILL); }
  // True until the child exits (it stays unreaped: wait() still reports how it ended).
  bool running() const {
    siginfo_t info{};
    return !done_ &&
           ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == 0;
  }
  // True when the child holds one of `files` open right now.
  bool holds_open(const std::vector<fs::path>& files) const {
    std::error_code ec;
    for (const auto& fd : fs::directory_iterator("/proc/" + std::to_string(pid_) + "/fd", ec)) {
      const fs::path target = fs::read_symlink(fd.path(), ec);
      if (ec) continue;
      for (const auto& f : files) {
        if (target == fs::weakly_canonical(f, ec)) return true;
      }
    }
    return false;
  }
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

inline ChildResult run(const std::vector<std::string>& args, const fs::path& scratch,
                       const Limits& limits = {}) {
  return Child(args, scratch, limits).wait();
}

inline std::string describe(const ChildResult& r) {
  return "exit " + std::to_string(r.exit_code) + " signal " + std::to_string(r.signal) +
         "\nstdout: " + r.out + "\nstderr: " + r.err;
}

inline size_t count_lines(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
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
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
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

// Removes a database file with its -wal, -shm and -journal companions.
inline void remove_db(const fs::path& db) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db.string() + suffix);
}

// Everything snapdelta keeps in a database, as text: equal dumps mean nothing changed.
inline std::string dump(const fs::path& path) {
  if (!fs::exists(path)) return "<no database file>";
  Db db(path);
  return db.query("SELECT * FROM processed_sales ORDER BY 1, 2, 3") + "--\n" +
         db.query("SELECT * FROM snapdelta_state ORDER BY 1") + "--\n" +
         db.query(
             "SELECT client_id, seq, in_byte, bits, low_bits, compressed_hash, out_offset, "
             "tail_hash, "
             "hex(window) FROM snapdelta_checkpoint ORDER BY 1, 2");
}

// ---- environment and scratch directories --------------------------------------------------------

inline uint64_t env_u64(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}
inline bool long_mode() { return env_u64("SNAPDELTA_LONG", 0) != 0; }

// A new directory /tmp/snapdelta-<name>-XXXXXX; empty when it cannot be created.
inline fs::path make_scratch(const std::string& name) {
  std::string tmpl = "/tmp/snapdelta-" + name + "-XXXXXX";
  return ::mkdtemp(tmpl.data()) ? fs::path(tmpl) : fs::path();
}

// Removes a scratch directory unless SNAPDELTA_KEEP_SCRATCH is set.
inline void remove_scratch(const fs::path& scratch) {
  if (!scratch.empty() && !std::getenv("SNAPDELTA_KEEP_SCRATCH")) fs::remove_all(scratch);
}

}  // namespace snapdelta::test::harness
