// Stores serving a job (store.h, open_store.h), on SQLite and PostgreSQL: two tables with keys of
// every type, null keys and measures, every measure kind; replace_groups and several add_groups
// read back through table_rows exactly as one JobGroups of all the rows computes them; an int64
// overflow is named and writes nothing; a database serving another job is refused in one line
// and --rebuild-job heals it; a database written before jobs opens as the built-in job's; the
// state's header round-trips.
#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "aggregate/job_groups.h"
#include "common/date.h"
#include "common/error.h"
#include "job/builtin_job.h"
#include "job/canonical.h"
#include "store/open_store.h"
#include "store/pg_uri.h"
#include "store/sqlite_compare.h"
#include "store_kind.h"

using namespace snapdelta;
using Cells = std::vector<std::vector<std::string>>;

namespace {

// Columns: 0 d date, 1 s string, 2 i int, 3 x decimal(2), 4 y decimal(3).
Job two_table_job() {
  Job job;
  job.source.pattern = "{client}/day_{day}.csv";
  job.source.container = Container::csv;
  job.csv.nulls = {"NULL"};
  job.columns = {{"d", "d", 0, {ColumnKind::date, "%Y-%m-%d", 0}},
                 {"s", "s", 0, {ColumnKind::string, "", 0}},
                 {"i", "i", 0, {ColumnKind::int64, "", 0}},
                 {"x", "x", 0, {ColumnKind::decimal, "", 2}},
                 {"y", "y", 0, {ColumnKind::decimal, "", 3}}};
  Table all;
  all.name = "by_all";
  all.group_by = {0, 1, 2, 4};
  all.measures = {{"rows", MeasureKind::count_rows, kNoColumn},
                  {"n_x", MeasureKind::count, 3},
                  {"sum_x", MeasureKind::sum, 3},
                  {"min_i", MeasureKind::min, 2},
                  {"max_d", MeasureKind::max, 0},
                  {"max_y", MeasureKind::max, 4}};
  Table by_s;
  by_s.name = "by_s";
  by_s.group_by = {1};
  by_s.measures = {{"total", MeasureKind::sum, 2}, {"rows", MeasureKind::count_rows, kNoColumn}};
  job.tables = {all, by_s};
  return job;
}

const Job& job_a() {
  static const Job job = two_table_job();
  return job;
}

// job_a with one measure changed.
const Job& job_b() {
  static const Job job = [] {
    Job j = two_table_job();
    j.tables[1].measures[0].kind = MeasureKind::max;
    return j;
  }();
  return job;
}

struct R {
  std::optional<const char*> d;
  std::optional<const char*> s;
  std::optional<int64_t> i;
  std::optional<int64_t> x;  // cents
  std::optional<int64_t> y;  // thousandths
};

JobGroups groups_of(const std::vector<R>& rows, const Job& job = job_a()) {
  JobGroups g(job);
  for (const R& r : rows) {
    int64_t v[5] = {0, 0, 0, 0, 0};
    uint8_t n[5] = {!r.d, !r.s, !r.i, !r.x, !r.y};
    if (r.d) {
      int32_t days = 0;
      EXPECT_TRUE(parse_date(*r.d, &days));
      v[0] = days;
    }
    if (r.s) v[1] = g.intern(1, *r.s);
    if (r.i) v[2] = *r.i;
    if (r.x) v[3] = *r.x;
    if (r.y) v[4] = *r.y;
    EXPECT_TRUE(g.add_row(v, n)) << g.overflow();
  }
  return g;
}

const std::vector<R> kDay1 = {{"2025-01-02", "b", 5, 150, 1000},
                              {"2025-01-01", "a", 7, -20, 1000},
                              {"2025-01-01", "a", 7, 30, 1000},
                              {std::nullopt, "a", 7, 1, std::nullopt},
                              {"2025-01-01", std::nullopt, std::nullopt, std::nullopt, 2500},
                              {"2025-01-01", std::nullopt, std::nullopt, 99, 2500},
                              {"2025-01-03", "é", -3, std::nullopt, -1}};
const std::vector<R> kDay2 = {{"2025-01-01", "a", 7, 5, 1000},
                              {std::nullopt, "a", 7, std::nullopt, std::nullopt},
                              {"2025-01-01", std::nullopt, std::nullopt, 1, 2500},
                              {"2025-01-04", "c", 0, 0, 0}};
const std::vector<R> kDay3 = {
    {"2025-01-04", "c", 0, 12345, 0},
    {std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt}};

std::vector<R> concat(std::initializer_list<std::vector<R>> parts) {
  std::vector<R> all;
  for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  return all;
}

class JobStore : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<Store> open(const Job& job, JobChange change = JobChange::refuse) const {
    return open_store(StoreOptions{kind_.db(), StoreOpen::create_if_missing, 10000, change}, job);
  }
  static void expect_tables(Store& store, const std::string& client, const JobGroups& expected) {
    for (size_t t = 0; t < expected.table_count(); ++t) {
      EXPECT_EQ(store.table_rows(client, t), expected.rows(t)) << "table " << t;
    }
  }
  std::string conflict(const Job& served, const Job& job) const {
    return describe() +
           ": the database serves another job: " + *first_difference(canonical(served), job) +
           "; run with --rebuild-job to replace its tables and recompute every client";
  }
  std::string describe() const { return kind_.postgres() ? redact_uri(kind_.db()) : kind_.db(); }
  test::StoreKind kind_{GetParam()};
};

uint64_t add(Store& store, const std::string& client, const JobGroups& g) {
  const auto w = store.begin_write(client);
  const uint64_t added = w->add_groups(g);
  w->commit();
  return added;
}

void replace(Store& store, const std::string& client, const JobGroups& g) {
  const auto w = store.begin_write(client);
  w->replace_groups(g);
  w->commit();
}

}  // namespace

TEST_P(JobStore, ReplaceGroupsReadsBackEveryTableInKeyOrder) {
  const auto store = open(job_a());
  const JobGroups day1 = groups_of(kDay1);
  replace(*store, "c", day1);
  replace(*store, "other", groups_of(kDay2));
  expect_tables(*store, "c", day1);
  // Spot checks of the cell forms: a null key first, dates as day numbers, decimals as units.
  const std::vector<TableRow> rows = store->table_rows("c", 0);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_TRUE(rows[0][0].null);
  EXPECT_EQ(rows[1][0].number, 20089);  // 2025-01-01
  EXPECT_TRUE(rows[1][1].null);
  EXPECT_EQ(rows[1][3].number, 2500);
  EXPECT_EQ(rows[1][4].number, 2) << "rows";
  EXPECT_EQ(rows[1][5].number, 1) << "count(x)";
  EXPECT_EQ(rows[1][6].number, 99) << "sum(x)";
  EXPECT_TRUE(rows[1][7].null) << "min(i) of nulls";
  EXPECT_EQ(store->table_rows("c", 1).size(), 4u);  // a, b, é and null
  EXPECT_TRUE(store->table_rows("nobody", 0).empty());
  // The readable decimal beside its units; a replace replaces only that client.
  EXPECT_EQ(kind_.query("SELECT sum_x, max_y FROM by_all WHERE client_id = 'c' AND s = 'b'"),
            (Cells{{kind_.postgres() ? "1.50" : "1.5", kind_.postgres() ? "1.000" : "1.0"}}));
  replace(*store, "c", groups_of(kDay3));
  expect_tables(*store, "c", groups_of(kDay3));
  expect_tables(*store, "other", groups_of(kDay2));
}

TEST_P(JobStore, AddGroupsMergesAcrossSeveralAddsAndCountsNewKeys) {
  const auto store = open(job_a());
  size_t seen = 0;
  std::vector<R> so_far;
  for (const auto* day : {&kDay1, &kDay2, &kDay3, &kDay2}) {
    so_far.insert(so_far.end(), day->begin(), day->end());
    const size_t now = groups_of(so_far).groups();
    EXPECT_EQ(add(*store, "c", groups_of(*day)), now - seen);
    seen = now;
    expect_tables(*store, "c", groups_of(so_far));
  }
  EXPECT_EQ(store->table_rows("c", 1), groups_of(concat({kDay1, kDay2, kDay3, kDay2})).rows(1));
}

TEST_P(JobStore, AnOverflowingSumIsNamedAndWritesNothing) {
  const auto store = open(job_a());
  const int64_t big = std::numeric_limits<int64_t>::max() - 10;
  add(*store, "c", groups_of({{"2025-01-01", "a", big, 1, 1}}));
  const JobGroups before = groups_of({{"2025-01-01", "a", big, 1, 1}});
  const auto w = store->begin_write("c");
  try {
    w->add_groups(groups_of({{"2025-01-02", "a", 20, 1, 1}}));
    FAIL() << "accepted an overflow";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              store->describe() +
                  ": expected sums within 64-bit integers, found an overflow in table by_s, "
                  "group (a), measure total");
  }
  w->commit();
  expect_tables(*store, "c", before);
}

TEST_P(JobStore, ADatabaseServingAnotherJobIsRefusedAndRebuildHealsIt) {
  {
    const auto store = open(job_a());
    replace(*store, "c", groups_of(kDay1));
    ClientState st;
    st.client = "c";
    st.day = 1;
    const auto w = store->begin_write("c");
    w->save_state(st);
    RunLogEntry e;
    e.client = "c";
    e.day = 1;
    w->log_run(e);
    w->commit();
  }
  for (int i = 0; i < 2; ++i) {  // at open (an existing store), every time
    try {
      open(job_b());
      FAIL() << "opened a database of another job";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), conflict(job_a(), job_b()));
    }
  }
  const auto rebuilt = open(job_b(), JobChange::rebuild);
  EXPECT_TRUE(rebuilt->all_states().empty()) << "every client is recomputed";
  EXPECT_FALSE(rebuilt->load_state("c")) << "every client is recomputed";
  EXPECT_EQ(kind_.query("SELECT value FROM snapdelta_meta WHERE key = 'job'"),
            (Cells{{canonical(job_a())}}))
      << "nothing is replaced before a write lands";
  const JobGroups day2 = groups_of(kDay2, job_b());
  {
    // A write that never commits replaces nothing: the old job's rows and state stay.
    const auto w = rebuilt->begin_write("c");
    w->replace_groups(day2);
  }
  EXPECT_EQ(kind_.query("SELECT value FROM snapdelta_meta WHERE key = 'job'"),
            (Cells{{canonical(job_a())}}));
  expect_tables(*open(job_a()), "c", groups_of(kDay1));
  EXPECT_EQ(open(job_a())->load_state("c")->day, 1);
  replace(*rebuilt, "c", day2);
  EXPECT_EQ(rebuilt->runs("c").size(), 1u) << "the run log stays";
  EXPECT_EQ(kind_.query("SELECT value FROM snapdelta_meta WHERE key = 'job'"),
            (Cells{{canonical(job_b())}}));
  expect_tables(*rebuilt, "c", day2);
  EXPECT_NO_THROW(open(job_b(), JobChange::rebuild)) << "the same job: nothing to rebuild";
  expect_tables(*open(job_b()), "c", day2);
  try {
    open(job_a());
    FAIL() << "opened a database of another job";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), conflict(job_b(), job_a()));
  }
}

TEST_P(JobStore, ADatabaseWrittenBeforeJobsServesTheBuiltInJob) {
  // The built-in job's columns: transaction_date, sku_id, quantity_sold, revenue_usd.
  JobGroups table(builtin_job());
  int32_t day = 0;
  ASSERT_TRUE(parse_date("2025-01-01", &day));
  const int64_t values[] = {day, table.intern(1, "S1"), 3, 250};
  const uint8_t nulls[] = {0, 0, 0, 0};
  ASSERT_TRUE(table.add_row(values, nulls));
  {
    const auto store = open(builtin_job());
    const auto w = store->begin_write("c");
    w->replace_groups(table);
    ClientState st;
    st.client = "c";
    st.day = 4;
    w->save_state(st);
    w->commit();
  }
  // Back to version 3: no stored job, no header column.
  kind_.exec("DELETE FROM snapdelta_meta WHERE key = 'job'");
  kind_.exec("ALTER TABLE snapdelta_state DROP COLUMN header");
  kind_.exec("UPDATE snapdelta_meta SET value = '3' WHERE key = 'schema_version'");
  try {
    open(job_a());
    FAIL() << "opened the built-in job's database with another job";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), conflict(builtin_job(), job_a()));
  }
  const auto store = open_store(StoreOptions{kind_.db()});
  EXPECT_EQ(store->load_state("c")->header, "") << "read before the upgrade";
  EXPECT_EQ(
      store->table_rows("c", 0),
      (std::vector<TableRow>{
          {{false, day, ""}, {false, 0, "S1"}, {false, 3, ""}, {false, 250, ""}, {false, 1, ""}}}));
  {
    const auto w = store->begin_write("c");  // upgrades it
    EXPECT_EQ(w->load_state()->day, 4);
    w->commit();
  }
  EXPECT_EQ(kind_.query("SELECT value FROM snapdelta_meta WHERE key = 'schema_version'"),
            (Cells{{"4"}}));
  EXPECT_EQ(kind_.query("SELECT value FROM snapdelta_meta WHERE key = 'job'"),
            (Cells{{canonical(builtin_job())}}));
  EXPECT_EQ(store->load_state("c")->header, "");
  EXPECT_EQ(kind_.rows("c").size(), 1u);
}

TEST_P(JobStore, TheBuiltInJobWritesTodaysTableThroughJobGroups) {
  const auto store = open(builtin_job());
  JobGroups g(builtin_job());
  int32_t day = 0;
  ASSERT_TRUE(parse_date("2025-01-01", &day));
  using Input = std::tuple<const char*, int64_t, int64_t>;
  for (const auto& [sku, q, cents] :
       {Input{"S2", 1, 100}, Input{"S1", 2, 250}, Input{"S1", 3, 5}}) {
    int64_t v[4] = {day, g.intern(1, sku), q, cents};
    uint8_t n[4] = {0, 0, 0, 0};
    ASSERT_TRUE(g.add_row(v, n));
  }
  replace(*store, "c", g);
  const std::vector<test::RefRow> expected = {{"2025-01-01", "S1", 5, 255, 2},
                                              {"2025-01-01", "S2", 1, 100, 1}};
  EXPECT_EQ(kind_.rows("c"), expected);
  EXPECT_EQ(add(*store, "c", g), 0u);
  EXPECT_EQ(kind_.query("SELECT total_revenue FROM processed_sales WHERE sku_id = 'S1'"),
            (Cells{{kind_.postgres() ? "5.10" : "5.1"}}));
}

TEST_P(JobStore, TheStateKeepsItsHeader) {
  const auto store = open(job_a());
  ClientState st;
  st.client = "c";
  st.header = "d,s,i,x,y";
  {
    const auto w = store->begin_write("c");
    w->save_state(st);
    w->commit();
  }
  EXPECT_EQ(store->load_state("c")->header, "d,s,i,x,y");
  EXPECT_EQ(store->load_progress("c")->header, "d,s,i,x,y");
  EXPECT_EQ(store->all_states().at(0).header, "d,s,i,x,y");
}

INSTANTIATE_TEST_SUITE_P(Stores, JobStore, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

// SQLite only: the benchmark's comparison of two databases covers every table of the job.
TEST(JobCompare, ComparesEveryTableOfTheJob) {
  test::TempDir dir("compare");
  const std::string a = dir / "a.db", b = dir / "b.db";
  for (const std::string& db : {a, b}) {
    replace(*open_store(StoreOptions{db, StoreOpen::create_if_missing}, job_a()), "c",
            groups_of(kDay1));
  }
  const Comparison same = compare_client_rows(a, b, "c", 10, job_a());
  EXPECT_TRUE(same.exact());
  EXPECT_EQ(same.expected_groups, 9u);  // 5 + 4
  add(*open_store(StoreOptions{b}, job_a()), "c", groups_of({{"2025-01-02", "b", 5, 150, 1000}}));
  const Comparison c = compare_client_rows(a, b, "c", 10, job_a());
  EXPECT_EQ(c.differences,
            (std::vector<std::string>{
                "table by_all: group (2025-01-02, b, 5, 1000): rows full 1 vs incremental 2",
                "table by_s: group (b): total full 5 vs incremental 10"}));
}
