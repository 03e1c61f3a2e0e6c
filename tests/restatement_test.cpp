// Restated history: with the state at day J, day K's file is not "day J + new rows" (a value
// changed, a row deleted, two rows swapped, the file shorter than what was consumed, the
// unterminated last row extended). The incremental run must notice, rebuild the client in the same
// run (`path == "rebuilt"`, `rebuilt` starting with "history changed" and, when the old file is
// still there and different, naming the first changed line), and end equal to a full run and to a
// plain recomputation. Also: a day recompressed at another level (or stored) takes the
// "inflate-all" proof and stays exact; CRLF and BOM spellings of the same rows give the same table.
#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "common/error.h"
#include "test_support.h"

using namespace snapdelta;
using test::RefRow;
using test::TempDir;

namespace {

const std::string kHead = "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";

std::vector<std::string> make_rows(int from, int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const char* dates[] = {"2025-03-01", "2025-03-02", "2025-02-28", "2025-03-03", "2024-02-29"};
  std::vector<std::string> rows;
  for (int i = from; i < from + n; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "T%07d", i);
    rows.push_back(std::string(id) + "," + dates[rng() % 5] + ",SKU_" + std::to_string(rng() % 60) +
                   "," + std::to_string(1 + rng() % 9) + "," + std::to_string(1 + rng() % 400) +
                   "." + std::to_string(10 + rng() % 90));
  }
  return rows;
}

std::string join(const std::vector<std::string>& rows, bool final_newline = true) {
  std::string s = kHead;
  for (size_t i = 0; i < rows.size(); ++i) {
    s += rows[i];
    if (i + 1 < rows.size() || final_newline) s += '\n';
  }
  return s;
}

// The 1-based number of the first line where `b` differs from `a` (a line missing in b counts).
uint64_t first_changed_line(const std::string& a, const std::string& b) {
  const auto la = test::split_lines(a);
  const auto lb = test::split_lines(b);
  for (size_t i = 0; i < la.size(); ++i) {
    if (i >= lb.size() || la[i] != lb[i]) return i + 1;
  }
  return 0;
}

class Restatement : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_ / "data";
    inc_db_ = dir_ / "inc.db";
    full_db_ = dir_ / "full.db";
  }

  std::string zip(int day) const { return test::day_path(data_, "c", day); }

  void write_day(int day, const std::string& text, int level = 6, int method = 8) {
    test::write_zip_text(zip(day), text, level, method);
  }

  // Day 1: `rows` rows (seed); day 2: the same rows and `added` more (seed + 1).
  void write_days_1_and_2(int rows, int added, uint64_t seed) {
    auto all = make_rows(1, rows, seed);
    write_day(1, join(all));
    for (auto& r : make_rows(rows + 1, added, seed + 1)) all.push_back(r);
    write_day(2, join(all));
  }

  // Runs day `day` incrementally (`threads`: 0 one per core), then checks it against a full run
  // and the recomputation.
  RunReport run_and_check(int day, int threads = 0) {
    const RunReport r = test::run_day("incremental", "c", day, data_, inc_db_, threads);
    test::run_day("full", "c", day, data_, full_db_);
    const auto expected = test::reference_of_zip(zip(day));
    EXPECT_EQ(test::db_rows(full_db_, "c"), expected) << "full run vs recomputation";
    EXPECT_EQ(test::db_rows(inc_db_, "c"), expected)
        << "incremental vs recomputation (path " << to_string(r.path) << ")";
    return r;
  }

  TempDir dir_{"restate"};
  std::string data_, inc_db_, full_db_;
};

struct Change {
  const char* name;
  // Turns day J's rows into day K's rows (before K's new rows are appended).
  std::function<void(std::vector<std::string>&, size_t at)> apply;
  bool append_new_rows;
};

const Change kChanges[] = {
    {"value changed",
     [](std::vector<std::string>& rows, size_t at) {
       std::string& r = rows[at];
       r.back() = r.back() == '1' ? '2' : '1';  // last cent digit of the revenue
     },
     true},
    {"quantity changed",
     [](std::vector<std::string>& rows, size_t at) {
       std::string& r = rows[at];
       const size_t q = r.rfind(',') - 1;
       r[q] = r[q] == '9' ? '1' : static_cast<char>(r[q] + 1);
     },
     true},
    {"row deleted",
     [](std::vector<std::string>& rows, size_t at) {
       rows.erase(rows.begin() + static_cast<long>(at));
     },
     true},
    {"rows swapped",
     [](std::vector<std::string>& rows, size_t at) { std::swap(rows[at], rows[at + 1]); }, true},
    {"file shorter than consumed",
     [](std::vector<std::string>& rows, size_t at) { rows.resize(at); }, false},
    {"old rows dropped, new rows appended",
     [](std::vector<std::string>& rows, size_t at) { rows.resize(at); }, true},
};

}  // namespace

TEST_F(Restatement, ExtensionWithoutChangesIsNotARebuild) {
  write_days_1_and_2(6000, 300, 1);
  EXPECT_EQ(to_string(run_and_check(1).path), "first-run");
  const RunReport r = run_and_check(2);
  EXPECT_EQ(to_string(r.path), "checkpoint")
      << "minizip at one level extends the same deflate stream";
  EXPECT_TRUE(r.rebuilt.empty());
  EXPECT_EQ(r.rows_processed, 300u);
}

// A checkpoint whose window is wrong (its compressed prefix still proves) resumes into wrong bytes,
// which the tail's own hash check catches. With two threads the speculation from it is undone and
// zlib alone reads from the stream's start; with one thread the tail's check says "history
// changed", the verified rebuild finds every consumed byte unchanged, and zlib alone reads the
// tail. Either way: inflate-all, exact, no rebuild.
static void damage_every_window(const std::string& db_path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  const std::string junk(32768, 'x');
  uLongf size = compressBound(static_cast<uLong>(junk.size()));
  std::string packed(size, '\0');
  ASSERT_EQ(
      compress2(reinterpret_cast<Bytef*>(packed.data()), &size,
                reinterpret_cast<const Bytef*>(junk.data()), static_cast<uLong>(junk.size()), 1),
      Z_OK);
  packed.resize(size);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE snapdelta_checkpoint SET window=?", -1, &st, nullptr),
            SQLITE_OK);
  sqlite3_bind_blob(st, 1, packed.data(), static_cast<int>(packed.size()), SQLITE_STATIC);
  ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
  EXPECT_GT(sqlite3_changes(db), 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_F(Restatement, ADamagedCheckpointCostsTimeNotAWrongRebuild) {
  write_days_1_and_2(20000, 500, 11);
  EXPECT_EQ(to_string(run_and_check(1).path), "first-run");
  damage_every_window(inc_db_);
  const RunReport r = run_and_check(2);
  EXPECT_EQ(to_string(r.path), "inflate-all");
  EXPECT_TRUE(r.rebuilt.empty()) << r.rebuilt;
  EXPECT_EQ(r.rows_processed, 500u);
}

TEST_F(Restatement, ADamagedCheckpointProvenFirstIsJudgedByTheVerifiedRebuild) {
  write_days_1_and_2(20000, 500, 11);
  EXPECT_EQ(to_string(run_and_check(1, 1).path), "first-run");
  damage_every_window(inc_db_);
  const RunReport r = run_and_check(2, 1);
  EXPECT_EQ(to_string(r.path), "inflate-all");
  EXPECT_TRUE(r.rebuilt.empty()) << r.rebuilt;
  EXPECT_EQ(r.rows_processed, 500u);
}

// Stored windows are unpacked only when a run resumes from them. One that does not unpack (here:
// not a zlib stream at all) fails that resume, and the run falls back to inflating from the
// stream's start: exact, no rebuild.
TEST_F(Restatement, AnUnusableStoredWindowCostsTimeNotExactness) {
  write_days_1_and_2(20000, 500, 13);
  EXPECT_EQ(to_string(run_and_check(1).path), "first-run");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(inc_db_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE snapdelta_checkpoint SET window = x'0011223344'", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    EXPECT_GT(sqlite3_changes(db), 0);
    sqlite3_close(db);
  }
  const RunReport r = run_and_check(2);
  EXPECT_EQ(to_string(r.path), "inflate-all");
  EXPECT_TRUE(r.rebuilt.empty()) << r.rebuilt;
  EXPECT_EQ(r.rows_processed, 500u);
}

// With two threads the tail from the furthest checkpoint is parsed and written before the prefix
// proof is in. When the proof then vouches only for an earlier checkpoint (here: the furthest
// one's prefix hash altered), that write must be undone before the tail is taken again from the
// proven one: the result stays exact, nothing counted twice.
TEST_F(Restatement, AWriteAheadOfTheProofIsUndoneWhenTheProofPicksAnotherCheckpoint) {
  write_days_1_and_2(40000, 700, 21);
  ASSERT_EQ(to_string(test::run_day("incremental", "c", 1, data_, inc_db_, 2).path), "first-run");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(inc_db_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "UPDATE snapdelta_checkpoint SET compressed_hash = compressed_hash + 1 "
                           "WHERE in_byte = (SELECT max(in_byte) FROM snapdelta_checkpoint)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    EXPECT_EQ(sqlite3_changes(db), 1);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM snapdelta_checkpoint", -1, &st, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_GE(sqlite3_column_int(st, 0), 2) << "the test needs an earlier checkpoint to fall to";
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  const RunReport r = test::run_day("incremental", "c", 2, data_, inc_db_, 2);
  EXPECT_EQ(to_string(r.path), "checkpoint");
  EXPECT_TRUE(r.rebuilt.empty()) << r.rebuilt;
  EXPECT_EQ(r.rows_processed, 700u);
  EXPECT_EQ(test::db_rows(inc_db_, "c"), test::reference_of_zip(zip(2)));
  test::run_day("full", "c", 2, data_, full_db_);
  EXPECT_EQ(test::db_rows(inc_db_, "c"), test::db_rows(full_db_, "c"));
}

TEST_F(Restatement, EveryKindOfChangeAnywhereRebuildsExactlyAndNamesTheLine) {
  const int kRows = 6000;
  const auto base = make_rows(1, kRows, 3);
  const std::string day1 = join(base);
  const auto news = make_rows(kRows + 1, 250, 4);
  // State at day 1, kept as a copy of the database file (no connection is open).
  write_day(1, day1);
  const std::string day1_zip = test::read_file(zip(1));
  ASSERT_EQ(to_string(run_and_check(1).path), "first-run");
  const std::string day1_db = test::read_file(inc_db_);
  // Early, middle, and late (behind the last block boundary, where a checkpoint would sit).
  const size_t positions[] = {2, kRows / 2, kRows - 2};
  int scenario = 0;
  for (const Change& change : kChanges) {
    for (size_t at : positions) {
      for (bool keep_old_file : {true, false}) {
        ++scenario;
        SCOPED_TRACE(std::string(change.name) + " at row " + std::to_string(at) +
                     (keep_old_file ? ", old file present" : ", old file removed"));
        std::filesystem::remove(inc_db_ + "-wal");
        std::filesystem::remove(inc_db_ + "-shm");
        test::write_file(inc_db_, day1_db);
        test::write_file(zip(1), day1_zip);
        auto rows = base;
        change.apply(rows, at);
        if (change.append_new_rows) rows.insert(rows.end(), news.begin(), news.end());
        const std::string day3 = join(rows);
        ASSERT_NE(day3, day1);
        write_day(3, day3);  // day 2 skipped
        if (!keep_old_file) std::filesystem::remove(zip(1));
        const RunReport r = run_and_check(3);
        EXPECT_EQ(to_string(r.path), "rebuilt");
        EXPECT_EQ(r.rebuilt.rfind("history changed", 0), 0u) << r.rebuilt;
        // A file shorter than what was consumed says so in words.
        const std::string shrank = day3.size() < day1.size()
                                       ? " (history shrank from " + std::to_string(kRows) + " to " +
                                             std::to_string(rows.size()) + " rows)"
                                       : "";
        if (keep_old_file) {
          EXPECT_EQ(r.rebuilt, "history changed at line " +
                                   std::to_string(first_changed_line(day1, day3)) + shrank);
        } else if (!shrank.empty()) {
          EXPECT_EQ(r.rebuilt, "history changed" + shrank);
        }
        EXPECT_EQ(r.rows_processed, rows.size()) << "a rebuild parses the whole file";
        EXPECT_EQ(r.rows_in_file, rows.size());
        // The rebuilt state is sound: the next day continues incrementally and exactly.
        auto next = rows;
        for (auto& row : make_rows(kRows + 1000, 77, 5)) next.push_back(row);
        write_day(4, join(next));
        const RunReport r4 = run_and_check(4);
        EXPECT_TRUE(to_string(r4.path) == "checkpoint" || to_string(r4.path) == "inflate-all")
            << to_string(r4.path);
        EXPECT_EQ(r4.rows_processed, 77u);
        if (HasFatalFailure()) return;
      }
    }
  }
  EXPECT_EQ(scenario, 36);
}

TEST_F(Restatement, ExtendingTheUnterminatedLastRowIsAChangeOfThatLine) {
  for (int rows_n : {5, 6000}) {
    SCOPED_TRACE(std::to_string(rows_n) + " rows");
    auto rows = make_rows(1, rows_n, 6);
    // The last row ends in "12.4" and has no line end: "12.45" or "912.4" are still valid rows.
    rows.back() = rows.back().substr(0, rows.back().rfind(',') + 1) + "12.4";
    const std::string day1 = join(rows, /*final_newline=*/false);
    const std::string next_row = make_rows(rows_n + 1, 1, 7)[0];
    const std::string appended =
        day1 + "5\n" + next_row + "\n";  // the old last row grows at its end
    std::string inserted = day1 + "\n" + next_row + "\n";
    inserted.insert(day1.rfind(',') + 1, "9");  // the old last row changes inside
    const uint64_t last_line = static_cast<uint64_t>(rows_n) + 1;
    struct Case {
      const char* what;
      const std::string& text;
      bool keep_old_file;
    };
    for (const Case& c :
         {Case{"appended digit", appended, true}, Case{"appended digit", appended, false},
          Case{"inserted digit", inserted, true}}) {
      SCOPED_TRACE(std::string(c.what) +
                   (c.keep_old_file ? ", old file present" : ", old file removed"));
      std::filesystem::remove_all(data_);
      std::filesystem::remove(inc_db_);
      write_day(1, day1);
      ASSERT_EQ(to_string(run_and_check(1).path), "first-run");
      write_day(2, c.text);
      if (!c.keep_old_file) std::filesystem::remove(zip(1));
      const RunReport r = run_and_check(2);
      EXPECT_EQ(to_string(r.path), "rebuilt");
      // Without the old file, the appended digit is still named by the parser itself.
      EXPECT_EQ(r.rebuilt, "history changed at line " + std::to_string(last_line));
    }
    // A proper continuation (a line end first, LF or CRLF) is not a change.
    for (const std::string& eol : {std::string("\n"), std::string("\r\n")}) {
      std::filesystem::remove_all(data_);
      std::filesystem::remove(inc_db_);
      write_day(1, day1);
      ASSERT_EQ(to_string(run_and_check(1).path), "first-run");
      // The row ends in a CR alone on day 2; its LF comes with day 3.
      write_day(2, day1 + eol + next_row + "\r");
      const RunReport ok = run_and_check(2);
      EXPECT_NE(to_string(ok.path), "rebuilt") << ok.rebuilt;
      EXPECT_EQ(ok.rows_processed, 1u);
      write_day(3, day1 + eol + next_row + "\r\n" + make_rows(rows_n + 2, 1, 8)[0]);
      const RunReport r4 = run_and_check(3);
      EXPECT_NE(to_string(r4.path), "rebuilt") << r4.rebuilt;
      EXPECT_EQ(r4.rows_processed, 1u);
    }
  }
}

TEST_F(Restatement, SameDayRedroppedWithOtherContentIsRebuiltNotANoop) {
  const auto rows = make_rows(1, 3000, 9);
  write_day(1, join(rows));
  ASSERT_EQ(to_string(run_and_check(1).path), "first-run");
  auto changed = rows;
  changed[10].back() = changed[10].back() == '1' ? '2' : '1';
  write_day(1, join(changed));
  const RunReport r = run_and_check(1);
  EXPECT_EQ(to_string(r.path), "rebuilt");
  EXPECT_EQ(r.rebuilt.rfind("history changed", 0), 0u) << r.rebuilt;
  // And the same day redropped as an extension is applied as a delta.
  auto longer = changed;
  for (auto& row : make_rows(3001, 10, 10)) longer.push_back(row);
  write_day(1, join(longer));
  const RunReport r2 = run_and_check(1);
  EXPECT_TRUE(to_string(r2.path) == "checkpoint" || to_string(r2.path) == "inflate-all")
      << to_string(r2.path);
  EXPECT_EQ(r2.rows_processed, 10u);
  EXPECT_EQ(to_string(run_and_check(1).path), "noop");
}

TEST_F(Restatement, RecompressedAtAnotherLevelTakesInflateAllAndStaysExact) {
  const auto rows = make_rows(1, 6000, 11);
  write_day(1, join(rows), 6);
  ASSERT_EQ(to_string(run_and_check(1).path), "first-run");
  auto more = rows;
  int day = 1;
  for (auto [level, method] :
       {std::pair{1, 8}, std::pair{9, 8}, std::pair{0, 0}, std::pair{3, 8}}) {
    SCOPED_TRACE("level " + std::to_string(level) + " method " + std::to_string(method));
    for (auto& row : make_rows(10000 + day * 100, 50, static_cast<uint64_t>(day)))
      more.push_back(row);
    ++day;
    write_day(day, join(more), level, method);
    const RunReport r = run_and_check(day);
    EXPECT_EQ(to_string(r.path), "inflate-all");
    EXPECT_TRUE(r.rebuilt.empty()) << r.rebuilt;
    EXPECT_EQ(r.rows_processed, 50u);
  }
  // The same CSV recompressed (no new rows) is no change at all.
  write_day(day + 1, join(more), 8);
  const RunReport same = run_and_check(day + 1);
  EXPECT_EQ(to_string(same.path), "inflate-all");
  EXPECT_EQ(same.rows_processed, 0u);
}

TEST_F(Restatement, CrlfAndBomSpellingsGiveTheSameTableAsLf) {
  const auto rows = make_rows(1, 2000, 12);
  const auto extra = make_rows(2001, 100, 13);
  auto all = rows;
  all.insert(all.end(), extra.begin(), extra.end());
  auto crlf = [](const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '\n') out += '\r';
      out += c;
    }
    return out;
  };
  const std::string bom = "\xEF\xBB\xBF";
  struct Variant {
    const char* name;
    std::function<std::string(const std::string&)> spell;
  };
  const Variant variants[] = {{"LF", [](const std::string& s) { return s; }},
                              {"CRLF", crlf},
                              {"BOM+LF", [&](const std::string& s) { return bom + s; }},
                              {"BOM+CRLF", [&](const std::string& s) { return bom + crlf(s); }}};
  std::vector<RefRow> lf_day1, lf_day2;
  for (const Variant& v : variants) {
    SCOPED_TRACE(v.name);
    std::filesystem::remove_all(data_);
    for (const auto& db : {inc_db_, full_db_}) std::filesystem::remove(db);
    write_day(1, v.spell(join(rows)));
    write_day(2, v.spell(join(all)));
    EXPECT_EQ(to_string(run_and_check(1).path), "first-run");
    const RunReport r2 = run_and_check(2);
    EXPECT_NE(to_string(r2.path), "rebuilt") << r2.rebuilt;
    EXPECT_EQ(r2.rows_processed, 100u);
    const auto t2 = test::db_rows(inc_db_, "c");
    if (lf_day2.empty()) {
      lf_day2 = t2;
      ASSERT_FALSE(lf_day2.empty());
    } else {
      EXPECT_EQ(t2, lf_day2) << v.name << " differs from LF";
    }
  }
}

// Not a restatement: quoted fields, blank lines (also right at the old end) and a mix of LF and
// CRLF across days are consumed incrementally and stay exact.
TEST_F(Restatement, QuotedFieldsAndBlankLinesAcrossDaysAreNotAChange) {
  std::string text = kHead;
  std::mt19937_64 rng(21);
  int id = 0;
  auto add_rows = [&](int n) {
    for (int i = 0; i < n; ++i, ++id) {
      const std::string sku = "SKU_" + std::to_string(rng() % 30);
      const std::string row =
          "\"T," + std::to_string(id) + "\",2025-03-0" + std::to_string(1 + rng() % 3) + "," +
          (rng() % 2 ? "\"" + sku + "\"" : sku) + "," + std::to_string(rng() % 9) + ",\"" +
          std::to_string(rng() % 300) + "." + std::to_string(rng() % 10) + "\"";
      text += row + (rng() % 3 ? "\n" : "\r\n");
      if (rng() % 10 == 0) text += "\n";
    }
  };
  add_rows(4000);
  text += "\n\r\n";  // blank lines at the old end
  write_day(1, text);
  ASSERT_EQ(to_string(run_and_check(1).path), "first-run");
  for (int day = 2; day <= 4; ++day) {
    add_rows(150);
    write_day(day, text);
    const RunReport r = run_and_check(day);
    EXPECT_NE(to_string(r.path), "rebuilt") << r.rebuilt;
    EXPECT_EQ(r.rows_processed, 150u);
  }
}

// With --on-history-change fail, a changed history leaves the client as it was: the run fails
// with one line naming the first changed line, and the database file is byte for byte the same.
TEST_F(Restatement, FailPolicyLeavesTheClientAsItWasAndNamesTheLine) {
  auto rows = make_rows(1, 3000, 8);
  write_day(1, join(rows));
  ASSERT_EQ(to_string(run_and_check(1).path), "first-run");
  const std::string before = test::read_file(inc_db_);
  rows[10].back() = rows[10].back() == '1' ? '2' : '1';  // line 12 (header + 11 rows)
  for (const auto& row : make_rows(3001, 50, 9)) rows.push_back(row);
  write_day(2, join(rows));
  RunOptions o;
  o.mode = RunMode::incremental;
  o.client = "c";
  o.day = 2;
  o.data_dir = data_;
  o.db_path = inc_db_;
  o.on_history_change = HistoryPolicy::fail;
  try {
    run_pipeline(o);
    FAIL() << "a changed history was accepted under the fail policy";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.rfind(zip(2) + ": history changed at line 12", 0), 0u) << m;
    EXPECT_NE(m.find("--on-history-change fail"), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
  EXPECT_EQ(test::read_file(inc_db_), before) << "the fail policy wrote to the database";
  // The default policy rebuilds the same drop.
  const RunReport r = run_and_check(2);
  EXPECT_EQ(to_string(r.path), "rebuilt");
  EXPECT_EQ(r.rebuilt, "history changed at line 12");
}
