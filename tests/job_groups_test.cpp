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

void check_random(const std::vector<std::vector<uint32_t>>& keys, int date_span, int strings,
                  double null_share, uint32_t seed) {
  const Job job = test_job(keys);
  JobGroups groups(job);
  std::mt19937 rng(seed);
  std::vector<Input> inputs(20000);
  for (Input& in : inputs) {
    in.values[0] = 19000 + static_cast<int64_t>(rng() % date_span) - date_span / 2;
    in.text = "s" + std::to_string(rng() % strings);
    in.values[2] = static_cast<int64_t>(rng() % 7) - 3;
    in.values[3] = static_cast<int64_t>(rng() % 100000) - 50000;
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

}  // namespace
}  // namespace snapdelta
