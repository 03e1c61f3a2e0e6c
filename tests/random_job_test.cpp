// Random jobs over random cumulative histories, through the binary: each day `sync --job` (the
// incremental chain) must equal an independent recomputation (plain maps in this file, no
// snapdelta parsing, aggregation or store code; the tables read back with raw SQL), and so must a
// full run of the last day into a second database; `verify --job` agrees. Jobs draw random column
// order in the drops, extra columns, quoted fields, 1-3 keys of every type, every measure, nulls,
// several tables, another delimiter and date format; drops are plain CSV, zip or gzip.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "store_kind.h"
#include "test_support.h"

namespace snapdelta::test {
namespace {

enum class Kind { date, string, int64, decimal };

struct RCol {
  std::string name, header;
  Kind kind;
  int scale = 0;
  std::string date_format;  // one of kDateFormats
};

struct RMeasure {
  std::string name, fn;  // fn: sum, count_rows, count, min, max
  int col = -1;
};

struct RTable {
  std::string name;
  std::vector<int> keys;
  std::vector<RMeasure> measures;
};

struct RJob {
  std::vector<RCol> cols;
  std::vector<std::string> extra_headers;
  std::vector<RTable> tables;
  char delim = ',';
  std::vector<std::string> nulls;
  std::string extension;
};

const char* const kDateFormats[] = {"%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"};

// A row's value of one column: nullopt is null; dates are day numbers, decimals units.
struct Value {
  std::optional<int64_t> number;
  std::optional<std::string> text;
  bool null() const { return !number && !text; }
};
using Row = std::vector<Value>;  // per declared column

// Civil date <-> days since 1970-01-01 (Howard Hinnant's algorithms, written out here).
int64_t days_of(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return int64_t{era} * 146097 + doe - 719468;
}
void civil_of(int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}
std::string date_text(int64_t days, const std::string& format) {
  int y, m, d;
  civil_of(days, y, m, d);
  char buf[16];
  if (format == "%d/%m/%Y") {
    std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", d, m, y);
  } else if (format == "%Y%m%d") {
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", y, m, d);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  }
  return buf;
}

// Units as a decimal text with `digits` (<= scale) fraction digits when the value allows it.
std::string units_text(int64_t units, int scale, int digits) {
  const bool negative = units < 0;
  uint64_t mag = negative ? 0 - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  std::string frac;
  for (int i = 0; i < scale; ++i) {
    frac.insert(frac.begin(), static_cast<char>('0' + mag % 10));
    mag /= 10;
  }
  while (static_cast<int>(frac.size()) > digits && !frac.empty() && frac.back() == '0')
    frac.pop_back();
  std::string out = (negative ? "-" : "") + std::to_string(mag);
  if (!frac.empty()) out += "." + frac;
  return out;
}

class Random {
 public:
  explicit Random(uint32_t seed) : rng_(seed) {}
  int below(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }
  bool chance(double p) { return std::uniform_real_distribution<>(0, 1)(rng_) < p; }
  template <class T>
  void shuffle(std::vector<T>& v) {
    std::shuffle(v.begin(), v.end(), rng_);
  }

 private:
  std::mt19937 rng_;
};

RJob random_job(Random& r) {
  RJob job;
  const Kind kinds[] = {Kind::date, Kind::string, Kind::int64, Kind::decimal};
  const int ncols = 3 + r.below(4);
  for (int c = 0; c < ncols; ++c) {
    RCol col;
    col.name = "c" + std::to_string(c);
    col.kind = c < 4 ? kinds[c] : kinds[r.below(4)];
    col.header = r.chance(0.3) ? "Col " + std::to_string(c) + " $" : col.name;
    col.scale = col.kind == Kind::decimal ? r.below(5) : 0;
    col.date_format = kDateFormats[r.below(3)];
    job.cols.push_back(col);
  }
  for (int e = 0; e < r.below(3); ++e) job.extra_headers.push_back("extra_" + std::to_string(e));
  const char delims[] = {',', ';', '\t', '|'};
  job.delim = delims[r.below(4)];
  if (r.chance(0.5))
    job.nulls = r.chance(0.5) ? std::vector<std::string>{""} : std::vector<std::string>{"", "NULL"};
  const int ntables = 1 + r.below(3);
  for (int t = 0; t < ntables; ++t) {
    RTable table;
    table.name = "t" + std::to_string(t);
    std::vector<int> cols(job.cols.size());
    for (size_t i = 0; i < cols.size(); ++i) cols[i] = static_cast<int>(i);
    r.shuffle(cols);
    table.keys.assign(cols.begin(), cols.begin() + 1 + r.below(3));
    table.measures.push_back({"rows_n", "count_rows", -1});
    int m = 0;
    for (size_t c = 0; c < job.cols.size(); ++c) {
      const Kind k = job.cols[c].kind;
      std::vector<std::string> fns = {"count"};
      if (k == Kind::int64 || k == Kind::decimal)
        fns.insert(fns.end(), {"sum", "sum", "min", "max"});
      if (k == Kind::date) fns.insert(fns.end(), {"min", "max"});
      for (int i = 0; i < 1 + r.below(2); ++i) {
        table.measures.push_back({"m" + std::to_string(m++),
                                  fns[static_cast<size_t>(r.below(static_cast<int>(fns.size())))],
                                  static_cast<int>(c)});
      }
    }
    job.tables.push_back(table);
  }
  const char* exts[] = {".csv", ".zip", ".csv.gz"};
  job.extension = exts[r.below(3)];
  return job;
}

std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\t') {
      out += "\\t";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string job_toml(const RJob& job) {
  std::string t = "[source]\npattern = " + toml_string("{client}/feed_{day}" + job.extension) +
                  "\n[csv]\ndelimiter = " + toml_string(std::string(1, job.delim)) + "\nnull = [";
  for (size_t i = 0; i < job.nulls.size(); ++i) t += (i ? ", " : "") + toml_string(job.nulls[i]);
  t += "]\n[columns]\n";
  for (const RCol& c : job.cols) {
    std::string type = c.kind == Kind::date     ? "date:" + c.date_format
                       : c.kind == Kind::string ? "string"
                       : c.kind == Kind::int64  ? "int"
                                                : "decimal(" + std::to_string(c.scale) + ")";
    if (c.header == c.name) {
      t += c.name + " = " + toml_string(type) + "\n";
    } else {
      t += c.name + " = { from = " + toml_string(c.header) + ", type = " + toml_string(type) +
           " }\n";
    }
  }
  for (const RTable& table : job.tables) {
    t += "\n[[table]]\nname = " + toml_string(table.name) + "\ngroup_by = [";
    for (size_t k = 0; k < table.keys.size(); ++k)
      t += (k ? ", " : "") + toml_string(job.cols[static_cast<size_t>(table.keys[k])].name);
    t += "]\n[table.measures]\n";
    for (const RMeasure& m : table.measures) {
      const std::string arg = m.col < 0 ? "" : job.cols[static_cast<size_t>(m.col)].name;
      t += m.name + " = " + toml_string((m.fn == "count_rows" ? "count" : m.fn) + "(" + arg + ")") +
           "\n";
    }
  }
  return t;
}

Row random_row(const RJob& job, Random& r) {
  Row row;
  for (const RCol& c : job.cols) {
    Value v;
    if (!job.nulls.empty() && r.chance(0.1)) {
      row.push_back(v);
      continue;
    }
    switch (c.kind) {
      case Kind::date:
        v.number = days_of(2026, 1, 1) + r.below(40) - 5;
        break;
      case Kind::string: {
        const char* pool[] = {"alpha", "beta",    "g amma", "de;lta",
                              "ep,si", "zeta\"q", "eta|x",  "t"};
        v.text = pool[r.below(8)];
        break;
      }
      case Kind::int64:
        v.number = r.below(2000) - 700;
        break;
      case Kind::decimal:
        v.number = static_cast<int64_t>(r.below(2000000)) - 500000;
        break;
    }
    row.push_back(v);
  }
  return row;
}

std::string field(const RJob& job, const std::string& text, Random& r) {
  const bool must =
      text.find(job.delim) != std::string::npos || text.find('"') != std::string::npos;
  if (!must && !r.chance(0.1)) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

struct Layout {
  std::vector<int> order;  // field position -> declared column, or -(1 + extra index)
};

std::string csv_line(const RJob& job, const Layout& layout, const Row& row, Random& r) {
  std::string line;
  for (size_t f = 0; f < layout.order.size(); ++f) {
    if (f) line += job.delim;
    const int c = layout.order[f];
    if (c < 0) {
      line += field(job, "x" + std::to_string(r.below(100)) + std::string(1, job.delim), r);
      continue;
    }
    const RCol& col = job.cols[static_cast<size_t>(c)];
    const Value& v = row[static_cast<size_t>(c)];
    if (v.null()) {
      line += field(job,
                    job.nulls[static_cast<size_t>(r.below(static_cast<int>(job.nulls.size())))], r);
      continue;
    }
    switch (col.kind) {
      case Kind::date:
        line += field(job, date_text(*v.number, col.date_format), r);
        break;
      case Kind::string:
        line += field(job, *v.text, r);
        break;
      case Kind::int64:
        line += field(job, std::to_string(*v.number), r);
        break;
      case Kind::decimal:
        line += field(job, units_text(*v.number, col.scale, r.below(col.scale + 1)), r);
        break;
    }
  }
  return line + (r.chance(0.2) ? "\r\n" : "\n");
}

// The oracle: each table's rows as canonical text cells (keys, then measures), sorted.
using TextRows = std::vector<std::vector<std::string>>;

std::string key_cell(const RCol& col, const Value& v) {
  if (v.null()) return "NULL";
  if (col.kind == Kind::string) return *v.text;
  if (col.kind == Kind::date) return date_text(*v.number, "%Y-%m-%d");
  return std::to_string(*v.number);
}

TextRows expected_rows(const RJob& job, const RTable& table, const std::vector<Row>& rows) {
  std::map<std::vector<std::string>, std::vector<const Row*>> groups;
  for (const Row& row : rows) {
    std::vector<std::string> key;
    for (int k : table.keys)
      key.push_back(key_cell(job.cols[static_cast<size_t>(k)], row[static_cast<size_t>(k)]));
    groups[key].push_back(&row);
  }
  TextRows out;
  for (const auto& [key, members] : groups) {
    std::vector<std::string> cells = key;
    for (const RMeasure& m : table.measures) {
      if (m.fn == "count_rows") {
        cells.push_back(std::to_string(members.size()));
        continue;
      }
      std::vector<int64_t> xs;
      for (const Row* row : members) {
        const Value& v = (*row)[static_cast<size_t>(m.col)];
        if (!v.null()) xs.push_back(v.number.value_or(0));
      }
      if (m.fn == "count") {
        cells.push_back(std::to_string(xs.size()));
      } else if (xs.empty()) {
        cells.push_back("NULL");
      } else {
        int64_t x = xs[0];
        for (size_t i = 1; i < xs.size(); ++i) {
          x = m.fn == "sum" ? x + xs[i] : m.fn == "min" ? std::min(x, xs[i]) : std::max(x, xs[i]);
        }
        const bool date = job.cols[static_cast<size_t>(m.col)].kind == Kind::date;
        cells.push_back(date ? date_text(x, "%Y-%m-%d") : std::to_string(x));
      }
    }
    out.push_back(cells);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// PostgreSQL's numeric text ("-12.50") as units of 10^-scale.
std::string pg_units(const std::string& text, int scale) {
  if (text == "NULL") return text;
  const bool negative = !text.empty() && text[0] == '-';
  std::string digits = text.substr(negative ? 1 : 0);
  const size_t dot = digits.find('.');
  std::string whole = dot == std::string::npos ? digits : digits.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : digits.substr(dot + 1);
  frac.resize(static_cast<size_t>(scale), '0');
  const int64_t units = std::stoll(whole + frac);
  return std::to_string(negative ? -units : units);
}

bool decimal_cell(const RJob& job, const RTable& table, size_t cell, int& scale) {
  int col;
  if (cell < table.keys.size()) {
    col = table.keys[cell];
  } else {
    const RMeasure& m = table.measures[cell - table.keys.size()];
    if (m.fn == "count" || m.fn == "count_rows") return false;
    col = m.col;
  }
  scale = job.cols[static_cast<size_t>(col)].scale;
  return job.cols[static_cast<size_t>(col)].kind == Kind::decimal;
}

TextRows stored_rows(const StoreKind& store, const RJob& job, const RTable& table,
                     const std::string& client) {
  std::string select;
  auto add = [&](const std::string& column) { select += (select.empty() ? "" : ", ") + column; };
  const size_t cells = table.keys.size() + table.measures.size();
  for (size_t i = 0; i < cells; ++i) {
    const std::string name = i < table.keys.size()
                                 ? job.cols[static_cast<size_t>(table.keys[i])].name
                                 : table.measures[i - table.keys.size()].name;
    int scale = 0;
    if (!store.postgres() && decimal_cell(job, table, i, scale)) {
      add("\"" + name + (scale == 2 ? "_cents" : "_units") + "\"");
    } else {
      add("\"" + name + "\"");
    }
  }
  TextRows rows = store.query("SELECT " + select + " FROM \"" + table.name +
                              "\" WHERE client_id = '" + client + "'");
  for (auto& row : rows) {
    for (size_t i = 0; i < cells; ++i) {
      int scale = 0;
      if (store.postgres() && decimal_cell(job, table, i, scale)) row[i] = pg_units(row[i], scale);
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

void write_drop(const std::string& path, const std::string& text, const std::string& extension) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  if (extension == ".zip") {
    write_zip_text(path, text);
  } else if (extension == ".csv.gz") {
    gzFile f = gzopen(path.c_str(), "wb6");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(gzwrite(f, text.data(), static_cast<unsigned>(text.size())),
              static_cast<int>(text.size()));
    ASSERT_EQ(gzclose(f), Z_OK);
  } else {
    write_file(path, text);
  }
}

class RandomJobs : public ::testing::TestWithParam<const char*> {};

void check_tables(const StoreKind& store, const RJob& job,
                  const std::map<std::string, std::vector<Row>>& history, const std::string& what) {
  for (const auto& [client, rows] : history) {
    for (const RTable& table : job.tables) {
      ASSERT_EQ(stored_rows(store, job, table, client), expected_rows(job, table, rows))
          << what << ", client " << client << ", table " << table.name;
    }
  }
}

void run_random_job(const std::string& kind, uint32_t seed) {
  Random r(seed);
  const RJob job = random_job(r);
  StoreKind inc(kind), full(kind);
  const std::string dir = inc.dir().path();
  const std::string job_file = dir + "/job.toml";
  write_file(job_file, job_toml(job));
  SCOPED_TRACE("seed " + std::to_string(seed) + ", job:\n" + job_toml(job));
  const std::string data = dir + "/data";
  std::map<std::string, std::vector<Row>> history;
  std::map<std::string, std::string> text;
  std::map<std::string, Layout> layouts;
  for (const std::string client : {"acme", "globex"}) {
    Layout layout;
    for (size_t c = 0; c < job.cols.size(); ++c) layout.order.push_back(static_cast<int>(c));
    for (size_t e = 0; e < job.extra_headers.size(); ++e)
      layout.order.push_back(-1 - static_cast<int>(e));
    r.shuffle(layout.order);
    std::string header;
    for (size_t f = 0; f < layout.order.size(); ++f) {
      const int c = layout.order[f];
      const std::string name = c < 0 ? job.extra_headers[static_cast<size_t>(-1 - c)]
                                     : job.cols[static_cast<size_t>(c)].header;
      header += (f ? std::string(1, job.delim) : "") + field(job, name, r);
    }
    text[client] = header + "\n";
    layouts[client] = layout;
  }
  const int days = 4;
  for (int day = 1; day <= days; ++day) {
    for (auto& [client, t] : text) {
      const int n = 50 + r.below(400);
      for (int i = 0; i < n; ++i) {
        Row row = random_row(job, r);
        t += csv_line(job, layouts[client], row, r);
        history[client].push_back(std::move(row));
      }
      write_drop(data + "/" + client + "/feed_" + std::to_string(day) + job.extension, t,
                 job.extension);
    }
    const ProcessResult s =
        run_snapdelta({"sync", "--job", job_file, "--data-dir", data, "--db", inc.db()}, dir);
    ASSERT_EQ(s.exit_code, 0) << s.out << s.err;
    check_tables(inc, job, history, "incremental day " + std::to_string(day));
  }
  for (const auto& [client, rows] : history) {
    const ProcessResult f =
        run_snapdelta({"run", "--mode", "full", "--client", client, "--day", std::to_string(days),
                       "--job", job_file, "--data-dir", data, "--db", full.db()},
                      dir);
    ASSERT_EQ(f.exit_code, 0) << f.out << f.err;
  }
  check_tables(full, job, history, "full");
  const ProcessResult v =
      run_snapdelta({"verify", "--job", job_file, "--data-dir", data, "--db", inc.db()}, dir);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST_P(RandomJobs, IncrementalEqualsFullEqualsAPlainRecomputation) {
  const bool pg = std::string(GetParam()) == "postgres";
  const uint32_t seeds = pg ? 4 : 10;
  for (uint32_t seed = 1; seed <= seeds; ++seed) {
    run_random_job(GetParam(), seed * 7919 + (pg ? 1 : 0));
    if (HasFatalFailure()) return;
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, RandomJobs, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace snapdelta::test
