// JobGroups against a plain std::map recomputation: every measure, null keys and values, keys of
// every kind, the dense index growing and leaving for the hash, and overflow.
#include "aggregate/job_groups.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>

#include "job/job.h"

namespace snapdelta {
namespace {

// Columns: 0 date, 1 string, 2 int, 3 decimal(2).
Job test_job(std::vector<std::vector<uint32_t>> keys) {
  Job job;
  job.columns = {{"d", "d", 0, {ColumnKind::date, "%Y-%m-%d", 0}},
                 {"s", "s", 0, {ColumnKind::string, "", 0}},
                 {"i", "i", 0, {ColumnKind::int64, "", 0}},
                 {"x", "x", 0, {ColumnKind::decimal, "", 2}}};
  for (size_t t = 0; t < keys.size(); ++t) {
    Table table;
    table.name = "t" + std::to_string(t);
    table.group_by = keys[t];
    table.measures = {{"rows", MeasureKind::count_rows, kNoColumn},
                      {"n_i", MeasureKind::count, 2},
                      {"sum_x", MeasureKind::sum, 3},
                      {"min_i", MeasureKind::min, 2},
                      {"max_d", MeasureKind::max, 0},
                      {"sum_i", MeasureKind::sum, 2}};
    job.tables.push_back(table);
  }
  return job;
}

struct Input {
  int64_t values[4];
  uint8_t nulls[4];
  std::string text;
};

using Key = std::vector<std::optional<std::pair<int64_t, std::string>>>;

TableRow reference_row(const Key& key, const std::vector<const Input*>& rows) {
  TableRow row;
  for (const auto& k : key) {
    Cell c;
    c.null = !k;
    if (k) {
      c.number = k->first;
      c.text = k->second;
    }
    row.push_back(c);
  }
  auto measure = [&](auto fold, int column, bool counts) {
    Cell c;
    int64_t n = 0;
    for (const Input* r : rows) {
      if (column >= 0 && r->nulls[column]) continue;
      c.number = n == 0 && !counts ? r->values[column]
                                   : fold(c.number, column < 0 ? 0 : r->values[column]);
      ++n;
    }
    if (counts) c.number = n;
    c.null = !counts && n == 0;
    if (c.null) c.number = 0;
    return c;
  };
  auto plus = [](int64_t a, int64_t b) { return a + b; };
  row.push_back(measure(plus, -1, true));
  row.push_back(measure(plus, 2, true));
  row.push_back(measure(plus, 3, false));
  row.push_back(measure([](int64_t a, int64_t b) { return std::min(a, b); }, 2, false));
  row.push_back(measure([](int64_t a, int64_t b) { return std::max(a, b); }, 0, false));
  row.push_back(measure(plus, 2, false));
  return row;
}

// `wide`: the int and decimal values spread over +-wide instead of a few units.
void check_random(const std::vector<std::vector<uint32_t>>& keys, int date_span, int strings,
                  double null_share, uint32_t seed, int64_t wide = 0) {
  const Job job = test_job(keys);
  JobGroups groups(job);
  std::mt19937 rng(seed);
  std::vector<Input> inputs(20000);
  for (Input& in : inputs) {
    in.values[0] = 19000 + static_cast<int64_t>(rng() % date_span) - date_span / 2;
    in.text = "s" + std::to_string(rng() % strings);
    in.values[2] = static_cast<int64_t>(rng() % 7) - 3;
    in.values[3] = static_cast<int64_t>(rng() % 100000) - 50000;
    if (wide != 0) {
      std::uniform_int_distribution<int64_t> spread(-wide, wide);
      in.values[2] = spread(rng);
      in.values[3] = spread(rng);
    }
    for (uint8_t& n : in.nulls) n = std::uniform_real_distribution<>(0, 1)(rng) < null_share;
    in.values[1] = groups.intern(1, in.text);
    for (int c = 0; c < 4; ++c) {
      if (in.nulls[c]) in.values[c] = 12345;  // what a parser leaves in a null: ignored
    }
    ASSERT_TRUE(groups.add_row(in.values, in.nulls));
  }
  for (size_t t = 0; t < keys.size(); ++t) {
    std::map<Key, std::vector<const Input*>, std::less<>> want;
    for (const Input& in : inputs) {
      Key key;
      for (uint32_t c : keys[t]) {
        if (in.nulls[c]) {
          key.push_back(std::nullopt);
        } else if (c == 1) {
          key.push_back(std::pair<int64_t, std::string>{0, in.text});
        } else {
          key.push_back(std::pair<int64_t, std::string>{in.values[c], ""});
        }
      }
      want[key].push_back(&in);
    }
    const std::vector<TableRow> got = groups.rows(t);
    ASSERT_EQ(got.size(), want.size()) << "table " << t;
    size_t i = 0;
    for (const auto& [key, rows] : want) {
      ASSERT_EQ(got[i], reference_row(key, rows)) << "table " << t << " row " << i;
      ++i;
    }
  }
}

TEST(JobGroupsTest, DateAndStringKeysStayDenseAndMatchAPlainMap) {
  check_random({{0, 1}}, 30, 50, 0, 1);
}
TEST(JobGroupsTest, OneKeyTables) { check_random({{0}, {1}, {2}, {3}}, 30, 50, 0, 2); }
TEST(JobGroupsTest, WideRangesLeaveTheDenseIndexForTheHash) {
  check_random({{0, 1}}, 4000, 5000, 0, 3);
}
TEST(JobGroupsTest, NullKeysGroupTogetherAndNullValuesAreSkipped) {
  check_random({{0, 1}, {2}, {1, 3, 0}, {3}}, 20, 10, 0.2, 4);
}
TEST(JobGroupsTest, ThreeKeysOfEveryKind) { check_random({{2, 1, 0}, {3, 2, 1, 0}}, 50, 30, 0, 5); }
// Key ranges too wide to pack into one 64-bit number per group: sorted by the key words instead.
TEST(JobGroupsTest, KeysWhoseRangesNeedMoreThan64BitsStillSortInKeyOrder) {
  check_random({{2, 3}, {3, 1, 2}, {2}}, 30, 20, 0.1, 6, int64_t{1} << 40);
}

TEST(JobGroupsTest, AnOverflowingSumIsRefusedAndNamesTheGroup) {
  const Job job = test_job({{0, 1}});
  JobGroups groups(job);
  int64_t values[4] = {19000, groups.intern(1, "A-1"), std::numeric_limits<int64_t>::max(), 1};
  uint8_t nulls[4] = {0, 0, 0, 0};
  ASSERT_TRUE(groups.add_row(values, nulls));
  values[2] = 1;
  EXPECT_FALSE(groups.add_row(values, nulls));
  EXPECT_EQ(groups.overflow(), "table t0, group (2022-01-08, A-1), measure sum_i");
  const std::vector<TableRow> rows = groups.rows(0);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][2].number, 1);  // rows: the refused row changed nothing
}

// Tables of one shape each (count only; two sums; sums with min, max and a count of a column that
// is often null) over the same rows: a row with no null among a table's columns takes the path
// without null handling, the others the general one, and the shared measures agree.
TEST(JobGroupsTest, RowsWithAndWithoutNullsAgreeAcrossMeasureShapes) {
  Job job = test_job({});
  job.columns.push_back({"n", "n", 0, {ColumnKind::int64, "", 0}});
  const Measure rows{"rows", MeasureKind::count_rows, kNoColumn};
  const Measure sum_i{"sum_i", MeasureKind::sum, 2}, sum_x{"sum_x", MeasureKind::sum, 3};
  job.tables = {{"count_only", {0, 1}, {rows}},
                {"sums", {0, 1}, {sum_i, rows, sum_x}},
                {"mixed",
                 {0, 1},
                 {sum_i,
                  rows,
                  sum_x,
                  {"n_n", MeasureKind::count, 4},
                  {"min_i", MeasureKind::min, 2},
                  {"max_x", MeasureKind::max, 3}}}};
  JobGroups groups(job);
  std::mt19937 rng(7);
  std::map<std::pair<int64_t, int64_t>, std::vector<int64_t>> want;  // rows, sums, n, min, max
  for (int r = 0; r < 5000; ++r) {
    int64_t values[5] = {19000 + static_cast<int64_t>(rng() % 5), 0,
                         static_cast<int64_t>(rng() % 21) - 10,
                         static_cast<int64_t>(rng() % 1000) - 500, 1};
    values[1] = groups.intern(1, "s" + std::to_string(rng() % 7));
    const uint8_t nulls[5] = {0, 0, 0, 0, static_cast<uint8_t>(rng() % 2)};
    ASSERT_TRUE(groups.add_row(values, nulls));
    auto [it, fresh] = want.try_emplace({values[0], values[1]},
                                        std::vector<int64_t>{0, 0, 0, 0, values[2], values[3]});
    std::vector<int64_t>& w = it->second;
    w[0] += 1;
    w[1] += values[2];
    w[2] += values[3];
    w[3] += nulls[4] ? 0 : 1;
    w[4] = std::min(w[4], values[2]);
    w[5] = std::max(w[5], values[3]);
  }
  for (size_t t = 0; t < 3; ++t) ASSERT_EQ(groups.table(t).size(), want.size());
  const TableGroups& count_only = groups.table(0);
  for (uint32_t g = 0; g < count_only.size(); ++g) {
    const auto key = std::make_pair(count_only.key_number(g, 0), count_only.key_number(g, 1));
    EXPECT_EQ(count_only.measure(g, 0), want[key][0]);
  }
  const TableGroups& sums = groups.table(1);
  const TableGroups& mixed = groups.table(2);
  for (uint32_t g = 0; g < sums.size(); ++g) {
    const std::vector<int64_t>& w = want[{sums.key_number(g, 0), sums.key_number(g, 1)}];
    EXPECT_EQ(sums.measure(g, 0), w[1]);
    EXPECT_EQ(sums.measure(g, 1), w[0]);
    EXPECT_EQ(sums.measure(g, 2), w[2]);
  }
  for (uint32_t g = 0; g < mixed.size(); ++g) {
    const std::vector<int64_t>& w = want[{mixed.key_number(g, 0), mixed.key_number(g, 1)}];
    const std::vector<int64_t> got = {mixed.measure(g, 1), mixed.measure(g, 0),
                                      mixed.measure(g, 2), mixed.measure(g, 3),
                                      mixed.measure(g, 4), mixed.measure(g, 5)};
    EXPECT_EQ(got, w);
    for (size_t m = 0; m < 6; ++m) EXPECT_FALSE(mixed.measure_null(g, m));
  }
}

// The built-in shape (two sums and count()): the one-pass overflow check refuses the row whole.
TEST(JobGroupsTest, AnOverflowInATableOfSumsIsRefusedWhole) {
  Job job = test_job({});
  job.tables = {{"sales",
                 {0, 1},
                 {{"q", MeasureKind::sum, 2},
                  {"x", MeasureKind::sum, 3},
                  {"rows", MeasureKind::count_rows, kNoColumn}}}};
  JobGroups groups(job);
  int64_t values[4] = {19000, groups.intern(1, "A-1"), 5, std::numeric_limits<int64_t>::min()};
  const uint8_t nulls[4] = {0, 0, 0, 0};
  ASSERT_TRUE(groups.add_row(values, nulls));
  values[3] = -1;
  EXPECT_FALSE(groups.add_row(values, nulls));
  EXPECT_EQ(groups.overflow(), "table sales, group (2022-01-08, A-1), measure x");
  const std::vector<TableRow> rows = groups.rows(0);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][2].number, 5);  // q: the refused row changed nothing
  EXPECT_EQ(rows[0][4].number, 1);
}

}  // namespace
}  // namespace snapdelta

namespace snapdelta {
namespace {

TEST(JobGroupsTest, MovedGroupsStillReadTheirStringKeys) {
  const Job job = test_job({{1, 0}});
  JobGroups moved;
  {
    JobGroups groups(job);
    int64_t values[4] = {19000, groups.intern(1, "some-sku"), 1, 1};
    uint8_t nulls[4] = {0, 0, 0, 0};
    ASSERT_TRUE(groups.add_row(values, nulls));
    moved = std::move(groups);
  }
  const std::vector<TableRow> rows = moved.rows(0);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].text, "some-sku");
  EXPECT_EQ(moved.table(0).key_text(0, 0), "some-sku");
}

}  // namespace
}  // namespace snapdelta
