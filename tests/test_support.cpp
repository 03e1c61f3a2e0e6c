#include "test_support.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>

#include <functional>
#include <mutex>

#include "common/date.h"
#include "job/builtin_job.h"
#include "job/pattern_override.h"

extern char** environ;

namespace snapdelta::test {
TempDir::TempDir(const std::string& tag) {
  std::string pattern = "/tmp/" + tag + "_XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string gzip_of(const std::string& text) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string zstd_of(const std::string& text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  const size_t n = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

void write_file(const std::string& path, std::string_view bytes) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string day_path(const std::string& data_dir, const std::string& client, int day) {
  return data_dir + "/" + client + "/transactions_day_" + std::to_string(day) + ".zip";
}

namespace {

// A new zip file at `path` (its folders created) with one member being written by `open_member`,
// then `write` of its bytes and `close_member`; throws naming `what` when any step fails.
void write_one_member_zip(const std::string& path, const char* what,
                          const std::function<int(zipFile, const zip_fileinfo&)>& open_member,
                          std::string_view bytes, const std::function<int(zipFile)>& close_member) {
  fs::create_directories(fs::path(path).parent_path());
  zipFile zf = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  if (zf == nullptr) throw std::runtime_error("zipOpen64 failed: " + path);
  zip_fileinfo info{};
  info.tmz_date.tm_year = 2025;
  info.tmz_date.tm_mday = 1;
  int rc = open_member(zf, info);
  if (rc == ZIP_OK && !bytes.empty()) {
    rc = zipWriteInFileInZip(zf, bytes.data(), static_cast<unsigned>(bytes.size()));
  }
  if (rc == ZIP_OK) rc = close_member(zf);
  const int close_rc = zipClose(zf, nullptr);
  if (rc != ZIP_OK || close_rc != ZIP_OK) throw std::runtime_error(what + (": " + path));
}

}  // namespace

void write_zip_text(const std::string& path, std::string_view text, int level, int method,
                    const std::string& name) {
  write_one_member_zip(
      path, "zip write failed",
      [&](zipFile zf, const zip_fileinfo& info) {
        return zipOpenNewFileInZip64(zf, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr,
                                     method, method == 0 ? 0 : level, /*zip64=*/0);
      },
      text, [](zipFile zf) { return zipCloseFileInZip(zf); });
}

void write_empty_zip(const std::string& path) {
  fs::create_directories(fs::path(path).parent_path());
  zipFile zf = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  if (zf == nullptr || zipClose(zf, nullptr) != ZIP_OK) {
    throw std::runtime_error("empty zip failed: " + path);
  }
}

void write_zip_raw(const std::string& path, std::string_view deflate, uint64_t usize, uint32_t crc,
                   const std::string& name) {
  write_one_member_zip(
      path, "raw zip failed",
      [&](zipFile zf, const zip_fileinfo& info) {
        return zipOpenNewFileInZip4_64(zf, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr,
                                       Z_DEFLATED, 6, /*raw=*/1, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                                       nullptr, 0, 0, 0, /*zip64=*/0);
      },
      deflate, [&](zipFile zf) { return zipCloseFileInZipRaw64(zf, usize, crc); });
}

uint32_t crc_of(std::string_view bytes) {
  return static_cast<uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

std::string raw_deflate(std::string_view text, int level, int strategy, int mem_level) {
  z_stream s{};
  if (deflateInit2(&s, level, Z_DEFLATED, -MAX_WBITS, mem_level, strategy) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&s, text.size()) + 64, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  s.avail_in = static_cast<uInt>(text.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&s, Z_FINISH);
  out.resize(s.total_out);
  deflateEnd(&s);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

void write_zip_deflated(const std::string& path, std::string_view text, int level) {
  write_zip_raw(path, raw_deflate(text, level), text.size(), crc_of(text));
}

ZipMember read_zip_member(const std::string& path) {
  ZipMember m;
  unzFile uf = unzOpen64(path.c_str());
  if (uf == nullptr) throw std::runtime_error("unzOpen64 failed: " + path);
  auto read_all = [&](bool raw) {
    int method = 0, level = 0;
    if (unzOpenCurrentFile2(uf, &method, &level, raw ? 1 : 0) != UNZ_OK) {
      throw std::runtime_error("unzOpenCurrentFile2 failed: " + path);
    }
    m.method = method;
    std::string out;
    char buf[1 << 16];
    int n = 0;
    while ((n = unzReadCurrentFile(uf, buf, sizeof buf)) > 0)
      out.append(buf, static_cast<size_t>(n));
    if (n < 0 || unzCloseCurrentFile(uf) != UNZ_OK) {
      throw std::runtime_error("unzip read/CRC failed: " + path);
    }
    return out;
  };
  if (unzGoToFirstFile(uf) != UNZ_OK) throw std::runtime_error("no member: " + path);
  char name[512];
  unz_file_info64 info{};
  unzGetCurrentFileInfo64(uf, &info, name, sizeof name, nullptr, 0, nullptr, 0);
  m.name = name;
  m.text = read_all(false);
  m.deflate = read_all(true);
  unzClose(uf);
  return m;
}

std::ostream& operator<<(std::ostream& os, const RefRow& r) {
  return os << r.date << " " << r.sku << " q=" << r.quantity << " c=" << r.cents
            << " n=" << r.count;
}

std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

int64_t reference_cents(const std::string& text) {
  const bool negative = !text.empty() && text[0] == '-';
  const std::string body = negative ? text.substr(1) : text;
  const size_t dot = body.find('.');
  const std::string units = body.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : body.substr(dot + 1);
  while (frac.size() < 2) frac += '0';
  const int64_t value = std::stoll(units) * 100 + std::stoll(frac);
  return negative ? -value : value;
}

std::vector<RefRow> reference_rows(std::string_view csv) {
  if (csv.substr(0, 3) == "\xEF\xBB\xBF") csv.remove_prefix(3);
  std::map<std::pair<std::string, std::string>, RefRow> groups;
  size_t pos = 0;
  bool header = true;
  while (pos < csv.size()) {
    size_t nl = csv.find('\n', pos);
    if (nl == std::string_view::npos) nl = csv.size();
    std::string_view line = csv.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (header) {
      header = false;
      continue;
    }
    if (line.empty()) continue;
    const auto f = split_csv_line(line);
    if (f.size() != 5) throw std::runtime_error("reference: bad test row: " + std::string(line));
    RefRow& r = groups[{f[1], f[2]}];
    r.date = f[1];
    r.sku = f[2];
    r.quantity += std::stoll(f[3]);
    r.cents += reference_cents(f[4]);
    r.count += 1;
  }
  std::vector<RefRow> out;
  for (auto& [key, row] : groups) out.push_back(row);
  return out;
}

Sqlite::Sqlite(const std::string& path, bool write) {
  const int flags = write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : "open failed";
    sqlite3_close(db_);
    throw std::runtime_error("sqlite open " + path + ": " + msg);
  }
}

Sqlite::~Sqlite() { sqlite3_close(db_); }

void Sqlite::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error("sqlite exec: " + msg + " in " + sql);
  }
}

std::vector<std::vector<std::string>> Sqlite::query(const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
  }
  std::vector<std::vector<std::string>> rows;
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const auto* t = sqlite3_column_text(st, i);
      row.push_back(t ? reinterpret_cast<const char*>(t) : "NULL");
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(st);
  return rows;
}

const Job& builtin_job_named(const std::string& pattern) {
  static std::mutex mutex;
  static std::map<std::string, Job> jobs;  // nodes stay put: the references handed out stay valid
  const std::lock_guard<std::mutex> lock(mutex);
  auto [it, added] = jobs.try_emplace(pattern, builtin_job());
  if (added) override_pattern(it->second, pattern);
  return it->second;
}

JobGroups builtin_groups(const std::vector<SalesInput>& rows) {
  JobGroups groups(builtin_job());
  const uint8_t nulls[4] = {0, 0, 0, 0};
  for (const SalesInput& r : rows) {
    int32_t day = 0;
    EXPECT_TRUE(parse_date(r.date, &day)) << r.date;
    const int64_t values[4] = {day, groups.intern(1, r.sku), r.quantity, r.cents};
    for (int i = 0; i < r.times; ++i)
      EXPECT_TRUE(groups.add_row(values, nulls)) << groups.overflow();
  }
  return groups;
}

std::vector<RefRow> store_rows(Store& store, const std::string& client) {
  std::vector<RefRow> out;
  for (const TableRow& r : store.table_rows(client, 0)) {
    out.push_back(RefRow{format_date(static_cast<int32_t>(r[0].number)), r[1].text, r[2].number,
                         r[3].number, r[4].number});
  }
  return out;
}

std::vector<RefRow> db_rows(const std::string& db_path, const std::string& client) {
  Sqlite db(db_path);
  sqlite3_stmt* st = nullptr;
  const char* sql =
      "SELECT transaction_date, sku_id, total_quantity, total_revenue_cents, order_count "
      "FROM processed_sales WHERE client_id=? ORDER BY transaction_date, sku_id";
  if (sqlite3_prepare_v2(db.handle(), sql, -1, &st, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("db_rows: ") + sqlite3_errmsg(db.handle()));
  }
  sqlite3_bind_text(st, 1, client.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<RefRow> out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    RefRow r;
    r.date = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    r.sku = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    r.quantity = sqlite3_column_int64(st, 2);
    r.cents = sqlite3_column_int64(st, 3);
    r.count = sqlite3_column_int64(st, 4);
    out.push_back(std::move(r));
  }
  sqlite3_finalize(st);
  return out;
}

ProcessResult run_snapdelta(const std::vector<std::string>& args, const std::string& scratch,
                            const std::string& cwd) {
  const std::string out_path = scratch + "/.stdout";
  const std::string err_path = scratch + "/.stderr";
  std::vector<std::string> all = {SNAPDELTA_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn failed");
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  ProcessResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  fs::remove(out_path);
  fs::remove(err_path);
  return r;
}

RunReport run_day(const std::string& mode, const std::string& client, int day,
                  const std::string& data_dir, const std::string& db, int threads) {
  RunOptions o;
  o.threads = threads;
  o.mode = *parse_run_mode(mode);
  o.client = client;
  o.day = day;
  o.data_dir = data_dir;
  o.db_path = db;
  o.busy_timeout_ms = 10000;
  return run_pipeline(o);
}

std::vector<RefRow> reference_of_zip(const std::string& zip) {
  return reference_rows(read_zip_member(zip).text);
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.emplace_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

std::string regex_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace snapdelta::test
