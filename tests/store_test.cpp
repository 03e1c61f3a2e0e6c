// The Store contract (store.h), on every store: SQLite and PostgreSQL (a fresh database on the
// test server). The schema is created idempotently and a newer one refused; replace_groups
// replaces one client only; add_groups sums exactly, counts new keys and refuses an int64 overflow;
// the state round-trips with its segments and checkpoints; total_revenue is cents/100 (exact on
// PostgreSQL); a write not committed leaves nothing; mark/rollback; the run log; writers of one
// client serialize and try_begin_write skips a client another connection holds (PostgreSQL) or
// waits for the one write lock (SQLite). Rows are read back with the SQLite C API or libpq.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "aggregate/job_groups.h"
#include "common/date.h"
#include "common/error.h"
#include "job/builtin_job.h"
#include "store/open_store.h"
#include "store/sqlite_store.h"
#include "store_kind.h"
#include "test_support.h"

using namespace snapdelta;
using test::RefRow;
using test::TempDir;
using Cells = std::vector<std::vector<std::string>>;

namespace {

using G = test::SalesInput;

JobGroups table_of(const std::vector<G>& groups) { return test::builtin_groups(groups); }

void replace(Store& store, const std::string& client, const std::vector<G>& groups) {
  const auto w = store.begin_write(client);
  w->replace_groups(table_of(groups));
  w->commit();
}

// Returns how many groups add_groups reported as new keys.
uint64_t add(Store& store, const std::string& client, const std::vector<G>& groups) {
  const auto w = store.begin_write(client);
  const uint64_t added = w->add_groups(table_of(groups));
  w->commit();
  return added;
}

ClientState sample_state(const std::string& client) {
  ClientState s;
  s.client = client;
  s.day = 7;
  s.file = "data/" + client + "/transactions_day_7.zip";
  s.rows = 123456789012ULL;
  s.lines = 123456789014ULL;
  s.bytes = 0xFFFFFFFF12345678ULL;  // > INT64_MAX: must survive the signed column
  s.crc32 = 0xDEADBEEF;
  s.unterminated = true;
  s.groups = 4242;
  s.mode = RunMode::incremental;
  s.segments = {
      {1000, 20, 0x8000000000000001ULL}, {5000, 99, 42}, {0xFFFFFFFFFFFFFFF0ULL, 100, ~0ULL}};
  for (int i = 0; i < 5; ++i) {
    StoredCheckpoint cp;
    cp.in_byte = 1000 + static_cast<uint64_t>(i) * 777;
    cp.bits = i % 8;
    cp.low_bits = static_cast<uint8_t>(i * 13 & ((1u << (8 - cp.bits)) - 1u));
    cp.compressed_hash = 0xF000000000000000ULL + static_cast<uint64_t>(i);
    cp.out_offset = 90000 + static_cast<uint64_t>(i);
    cp.tail_hash = ~static_cast<uint64_t>(i);
    std::string window(static_cast<size_t>(i == 0 ? 0 : 32768 - i), '\0');
    // Window blobs of a pattern, an empty one and one of random bytes: kept verbatim.
    std::mt19937_64 rng(static_cast<uint64_t>(i));
    for (size_t k = 0; k < window.size(); ++k)
      window[k] = i == 4 ? static_cast<char>(rng())
                         : static_cast<char>((k * 7 + static_cast<size_t>(i)) % 256);
    cp.window = std::move(window);
    s.checkpoints.push_back(cp);
  }
  return s;
}

void expect_same_state(const ClientState& a, const ClientState& b) {
  EXPECT_EQ(a.client, b.client);
  EXPECT_EQ(a.day, b.day);
  EXPECT_EQ(a.file, b.file);
  EXPECT_EQ(a.rows, b.rows);
  EXPECT_EQ(a.lines, b.lines);
  EXPECT_EQ(a.bytes, b.bytes);
  EXPECT_EQ(a.crc32, b.crc32);
  EXPECT_EQ(a.unterminated, b.unterminated);
  EXPECT_EQ(a.groups, b.groups);
  EXPECT_EQ(a.mode, b.mode);
  ASSERT_EQ(a.segments.size(), b.segments.size());
  for (size_t i = 0; i < a.segments.size(); ++i) {
    EXPECT_EQ(a.segments[i].end, b.segments[i].end);
    EXPECT_EQ(a.segments[i].lines, b.segments[i].lines);
    EXPECT_EQ(a.segments[i].hash, b.segments[i].hash);
  }
  ASSERT_EQ(a.checkpoints.size(), b.checkpoints.size());
  for (size_t i = 0; i < a.checkpoints.size(); ++i) {
    const StoredCheckpoint& x = a.checkpoints[i];
    const StoredCheckpoint& y = b.checkpoints[i];
    EXPECT_EQ(x.in_byte, y.in_byte);
    EXPECT_EQ(x.bits, y.bits);
    EXPECT_EQ(x.low_bits, y.low_bits);
    EXPECT_EQ(x.compressed_hash, y.compressed_hash);
    EXPECT_EQ(x.out_offset, y.out_offset);
    EXPECT_EQ(x.tail_hash, y.tail_hash);
    EXPECT_TRUE(x.window == y.window) << "checkpoint " << i;
  }
}

RunLogEntry log_entry(const std::string& client, int day, const std::string& path) {
  RunLogEntry e;
  e.client = client;
  e.day = day;
  e.file = "data/" + client + "/transactions_day_" + std::to_string(day) + ".zip";
  e.mode = RunMode::incremental;
  e.path = path;
  e.rows_in_file = 1000 + static_cast<uint64_t>(day);
  e.rows_processed = 10 + static_cast<uint64_t>(day);
  e.groups_written = 5;
  e.total_ms = 12.25 + day;
  e.host = "host-" + client;
  e.pid = 4242 + day;
  return e;
}

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  test::StoreKind kind_{GetParam()};
};

}  // namespace

TEST_P(StoreContract, SchemaIsCreatedIdempotently) {
  const auto store = kind_.open();
  EXPECT_TRUE(store->all_states().empty());  // no schema yet: reads see nothing
  EXPECT_TRUE(store->table_rows("c", 0).empty());
  EXPECT_TRUE(store->runs("").empty());
  for (int i = 0; i < 3; ++i) {
    auto w = store->begin_write("c");
    if (i == 1) w->commit();
  }
  replace(*store, "c", {{"2025-01-01", "S", 1, 100, 1}});
  EXPECT_EQ(init_store(StoreOptions{kind_.db()}), store->describe());  // on a live schema: no-op
  EXPECT_EQ(kind_.query("SELECT value FROM snapdelta_meta WHERE key='schema_version'"),
            (Cells{{"4"}}));
  EXPECT_EQ(kind_.query("SELECT count(*) FROM processed_sales"), (Cells{{"1"}}));
  EXPECT_EQ(kind_.query("SELECT count(*) FROM snapdelta_meta"), (Cells{{"2"}}));  // version, job
  for (const char* table :
       {"snapdelta_state", "snapdelta_checkpoint", "snapdelta_runs", "snapdelta_failures"})
    EXPECT_EQ(kind_.query(std::string("SELECT count(*) FROM ") + table), (Cells{{"0"}})) << table;
}

TEST_P(StoreContract, NewerSchemaVersionIsRefused) {
  replace(*kind_.open(), "c", {{"2025-01-01", "S", 1, 100, 1}});
  kind_.exec("UPDATE snapdelta_meta SET value='5' WHERE key='schema_version'");
  const auto store = kind_.open();
  try {
    store->begin_write("c");
    FAIL() << "accepted schema version 5";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.rfind(store->describe() + ": ", 0), 0u) << m;
    EXPECT_NE(m.find("version 5"), std::string::npos) << m;
  }
  EXPECT_THROW(init_store(StoreOptions{kind_.db()}), Error);
}

TEST_P(StoreContract, ReplaceRowsReplacesOnlyThatClient) {
  const auto store = kind_.open();
  replace(*store, "a", {{"2025-01-01", "S1", 2, 150, 3}, {"2025-01-02", "S2", 1, -7, 1}});
  replace(*store, "b", {{"2025-01-01", "S1", 9, 900, 1}});
  EXPECT_EQ(kind_.rows("a"),
            (std::vector<RefRow>{{"2025-01-01", "S1", 6, 450, 3}, {"2025-01-02", "S2", 1, -7, 1}}));
  replace(*store, "a", {{"2025-02-01", "S9", 4, 400, 2}});
  EXPECT_EQ(kind_.rows("a"), (std::vector<RefRow>{{"2025-02-01", "S9", 8, 800, 2}}));
  EXPECT_EQ(kind_.rows("b"), (std::vector<RefRow>{{"2025-01-01", "S1", 9, 900, 1}}));
  replace(*store, "a", {});
  EXPECT_TRUE(kind_.rows("a").empty());
  EXPECT_EQ(kind_.rows("b").size(), 1u);
  // table_rows agrees with the raw reading, in (date, sku) order, SKUs bytewise.
  replace(*store, "b",
          {{"0999-12-31", "b", 1, 1, 1},
           {"2025-01-01", "S1", 9, 900, 1},
           {"2025-01-01", "S10", 1, 2, 1},
           {"2025-01-01", "S2", 1, 3, 1},
           {"2025-01-01", "a", 1, 4, 1}});
  const auto rows = test::store_rows(*store, "b");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0], (RefRow{"0999-12-31", "b", 1, 1, 1}));
  EXPECT_EQ(rows[1], (RefRow{"2025-01-01", "S1", 9, 900, 1}));
  EXPECT_EQ(rows[2].sku, "S10");
  EXPECT_EQ(rows[3].sku, "S2");
  EXPECT_EQ(rows[4].sku, "a");
}

TEST_P(StoreContract, AddRowsSumsExactlyAndCountsNewKeys) {
  const auto store = kind_.open();
  replace(*store, "a", {{"2025-01-01", "S1", 2, 150, 3}, {"2025-01-02", "S2", 1, 1, 1}});
  EXPECT_EQ(add(*store, "a", {{"2025-01-01", "S1", 1, 5, 2}, {"2025-01-03", "S3", 7, 70, 1}}), 1u);
  EXPECT_EQ(add(*store, "b", {{"2025-01-01", "S1", 1, 5, 1}}), 1u);
  EXPECT_EQ(add(*store, "a", {{"2025-01-02", "S2", -1, -1, 1}}), 0u);
  EXPECT_EQ(kind_.rows("a"), (std::vector<RefRow>{{"2025-01-01", "S1", 8, 460, 5},
                                                  {"2025-01-02", "S2", 0, 0, 2},
                                                  {"2025-01-03", "S3", 7, 70, 1}}));
  EXPECT_EQ(kind_.rows("b"), (std::vector<RefRow>{{"2025-01-01", "S1", 1, 5, 1}}));
  // Many keys at once, half of them new.
  std::vector<std::string> skus;
  for (int i = 0; i < 2000; ++i) skus.push_back("K" + std::to_string(i));
  std::vector<G> first, second;
  for (int i = 0; i < 2000; ++i) {
    if (i % 2 == 0) first.push_back({"2025-03-01", skus[static_cast<size_t>(i)].c_str(), 1, 1, 1});
    second.push_back({"2025-03-01", skus[static_cast<size_t>(i)].c_str(), 2, 3, 1});
  }
  EXPECT_EQ(add(*store, "m", first), 1000u);
  EXPECT_EQ(add(*store, "m", second), 1000u);
  EXPECT_EQ(store->table_rows("m", 0).size(), 2000u);
  // Big sums stay integers, to the cent.
  const int64_t big = 4'000'000'000'000'000'000;
  add(*store, "c", {{"2025-01-01", "S", 1, big, 1}});
  add(*store, "c", {{"2025-01-01", "S", 1, big + 7, 1}});
  EXPECT_EQ(kind_.rows("c"), (std::vector<RefRow>{{"2025-01-01", "S", 2, 2 * big + 7, 2}}));
}

TEST_P(StoreContract, AddRowsRefusesAnInt64OverflowAndChangesNothing) {
  const auto store = kind_.open();
  const int64_t max = std::numeric_limits<int64_t>::max();
  replace(*store, "a", {{"2025-01-01", "S", max - 1, 100, 1}, {"2025-01-02", "S", 1, max - 1, 1}});
  const auto before = kind_.rows("a");
  EXPECT_THROW(add(*store, "a", {{"2025-01-01", "S", 5, 1, 1}}), Error);
  EXPECT_THROW(add(*store, "a", {{"2025-01-02", "S", 1, 5, 1}}), Error);
  EXPECT_EQ(kind_.rows("a"), before);
  // A failed add inside a mark rolls back to it and the write goes on (the speculative tail's
  // undo after a write that failed part way).
  {
    const auto w = store->begin_write("a");
    auto mark = w->mark();
    EXPECT_THROW(w->add_groups(table_of({{"2025-01-01", "S", 5, 1, 1}})), Error);
    mark->rollback();
    EXPECT_EQ(w->add_groups(table_of({{"2025-01-03", "T", 1, 1, 1}})), 1u);
    w->commit();
  }
  auto expected = before;
  expected.push_back({"2025-01-03", "T", 1, 1, 1});
  EXPECT_EQ(kind_.rows("a"), expected);
}

TEST_P(StoreContract, UncommittedWriteChangesNothing) {
  const auto store = kind_.open();
  replace(*store, "a", {{"2025-01-01", "S", 1, 100, 1}});
  {
    const auto w = store->begin_write("a");
    w->replace_groups(table_of({{"2025-01-05", "X", 1, 1, 1}}));
    w->add_groups(table_of({{"2025-01-06", "Y", 1, 1, 1}}));
    w->save_state(sample_state("a"));
    w->log_run(log_entry("a", 1, "full"));
    EXPECT_TRUE(w->load_state().has_value());  // the write sees its own state
  }
  EXPECT_EQ(kind_.rows("a"), (std::vector<RefRow>{{"2025-01-01", "S", 1, 100, 1}}));
  EXPECT_FALSE(store->load_state("a").has_value());
  EXPECT_TRUE(store->runs("a").empty());
  // The store is usable after the abandoned write.
  replace(*store, "a", {{"2025-01-02", "S", 2, 200, 1}});
  EXPECT_EQ(kind_.rows("a"), (std::vector<RefRow>{{"2025-01-02", "S", 2, 200, 1}}));
}

TEST_P(StoreContract, SaveStateOfAnotherClientIsRefused) {
  const auto store = kind_.open();
  const auto w = store->begin_write("a");
  EXPECT_THROW(w->save_state(sample_state("b")), Error);
}

TEST_P(StoreContract, TotalRevenueIsCentsOverOneHundred) {
  const auto store = kind_.open();
  const int64_t max = std::numeric_limits<int64_t>::max();
  replace(*store, "a",
          {{"2025-01-01", "A", 1, 1234, 1},
           {"2025-01-01", "B", 1, -7, 1},
           {"2025-01-01", "C", 1, 10, 1},
           {"2025-01-01", "D", 1, 123456789012345, 1},
           {"2025-01-01", "E", 1, max, 1}});
  const std::string select =
      "SELECT client_id, transaction_date, sku_id, total_quantity, total_revenue, order_count "
      "FROM processed_sales WHERE sku_id='C'";
  if (kind_.postgres()) {
    // numeric(21,2): exact, also for the largest cents.
    EXPECT_EQ(kind_.query("SELECT sku_id, total_revenue::text, pg_typeof(total_revenue)::text "
                          "FROM processed_sales ORDER BY sku_id"),
              (Cells{{"A", "12.34", "numeric"},
                     {"B", "-0.07", "numeric"},
                     {"C", "0.10", "numeric"},
                     {"D", "1234567890123.45", "numeric"},
                     {"E", "92233720368547758.07", "numeric"}}));
    EXPECT_EQ(kind_.query(select), (Cells{{"a", "2025-01-01", "C", "1", "0.10", "1"}}));
    return;
  }
  test::Sqlite raw(kind_.db());
  for (const auto& r : raw.query("SELECT sku_id, typeof(total_revenue), total_revenue_cents, "
                                 "total_revenue = total_revenue_cents / 100.0 "
                                 "FROM processed_sales")) {
    EXPECT_EQ(r[1], "real") << r[0];
    EXPECT_EQ(r[3], "1") << r[0];
  }
  EXPECT_EQ(raw.query("SELECT total_revenue FROM processed_sales WHERE sku_id='A'"),
            (Cells{{"12.34"}}));
  EXPECT_EQ(raw.query("SELECT total_revenue FROM processed_sales WHERE sku_id='B'"),
            (Cells{{"-0.07"}}));
  EXPECT_EQ(raw.query(select), (Cells{{"a", "2025-01-01", "C", "1", "0.1", "1"}}));
}

TEST_P(StoreContract, StateRoundTripsWithSegmentsAndCheckpoints) {
  const ClientState a = sample_state("client_a");
  ClientState b = sample_state("client_b");
  b.unterminated = false;
  b.segments.clear();
  b.checkpoints.resize(1);
  {
    const auto store = kind_.open();
    EXPECT_FALSE(store->load_state("client_a").has_value());  // no schema yet
    for (const ClientState* s : {static_cast<const ClientState*>(&b), &a}) {
      const auto w = store->begin_write(s->client);
      EXPECT_FALSE(w->load_state().has_value());
      w->save_state(*s);
      w->commit();
    }
  }
  const auto store = kind_.open();
  const auto la = store->load_state("client_a");
  ASSERT_TRUE(la.has_value());
  expect_same_state(*la, a);
  EXPECT_GE(la->updated_at.size(), 20u);
  EXPECT_EQ(la->updated_at.substr(0, 2), "20");
  EXPECT_EQ(la->updated_at[10], 'T');
  EXPECT_EQ(la->updated_at.back(), 'Z');
  const auto lb = store->load_state("client_b");
  ASSERT_TRUE(lb.has_value());
  expect_same_state(*lb, b);
  const auto all = store->all_states();
  ASSERT_EQ(all.size(), 2u);
  expect_same_state(all[0], a);
  expect_same_state(all[1], b);
  EXPECT_FALSE(store->load_state("client_c").has_value());
  // load_progress is the same state without its checkpoints.
  const auto pa = store->load_progress("client_a");
  ASSERT_TRUE(pa.has_value());
  ClientState a_progress = a;
  a_progress.checkpoints.clear();
  expect_same_state(*pa, a_progress);
  EXPECT_EQ(pa->updated_at, la->updated_at);
  EXPECT_FALSE(store->load_progress("client_c").has_value());
  // Saving again replaces the state and its checkpoints (fewer now), not appends.
  ClientState a2 = a;
  a2.day = 8;
  a2.checkpoints.resize(2);
  a2.segments.push_back({0xFFFFFFFFFFFFFFFFULL, 1, 2});
  {
    const auto w = store->begin_write("client_a");
    expect_same_state(*w->load_state(), a);  // under the lock
    expect_same_state(*w->load_progress(), a_progress);
    w->save_state(a2);
    w->commit();
  }
  expect_same_state(*store->load_state("client_a"), a2);
  // A state read back (its windows still packed as stored) saves as it was read.
  {
    ClientState read_back = *store->load_state("client_a");
    read_back.client = "client_d";
    const auto w = store->begin_write("client_d");
    w->save_state(read_back);
    w->commit();
  }
  ClientState a2_as_d = a2;
  a2_as_d.client = "client_d";
  expect_same_state(*store->load_state("client_d"), a2_as_d);
  expect_same_state(*store->load_state("client_b"), b);
  EXPECT_EQ(kind_.query("SELECT count(*) FROM snapdelta_checkpoint WHERE client_id='client_a'"),
            (Cells{{"2"}}));
}

TEST_P(StoreContract, MarkRollbackUndoesOnlyWhatFollowedIt) {
  const auto store = kind_.open();
  replace(*store, "a", {{"2025-01-01", "S", 1, 100, 1}});
  const auto w = store->begin_write("a");
  w->add_groups(table_of({{"2025-01-01", "S", 1, 1, 1}}));
  auto mark = w->mark();
  EXPECT_EQ(w->add_groups(table_of({{"2025-01-01", "S", 5, 5, 1}, {"2025-01-09", "N", 1, 1, 1}})),
            1u);
  w->save_state(sample_state("a"));
  mark->rollback();
  EXPECT_FALSE(w->load_state().has_value());
  // The same delta again after the rollback (the tail written once more): counted again.
  EXPECT_EQ(w->add_groups(table_of({{"2025-01-01", "S", 5, 5, 1}, {"2025-01-09", "N", 1, 1, 1}})),
            1u);
  w->commit();
  EXPECT_EQ(kind_.rows("a"),
            (std::vector<RefRow>{{"2025-01-01", "S", 7, 106, 3}, {"2025-01-09", "N", 1, 1, 1}}));
}

TEST_P(StoreContract, RunLogKeepsCommittedRunsInOrder) {
  const auto store = kind_.open();
  EXPECT_TRUE(store->runs("").empty());
  const RunLogEntry e1 = log_entry("a", 1, "first-run");
  const RunLogEntry e2 = log_entry("b", 1, "full");
  const RunLogEntry e3 = log_entry("a", 2, "checkpoint");
  for (const RunLogEntry* e : {&e1, &e2, &e3}) {
    const auto w = store->begin_write(e->client);
    w->log_run(*e);
    w->commit();
  }
  {
    const auto w = store->begin_write("a");
    w->log_run(log_entry("a", 3, "noop"));  // not committed: not logged
  }
  const auto all = store->runs("");
  ASSERT_EQ(all.size(), 3u);
  const auto a = store->runs("a");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(all[1].client, "b");
  for (const auto& [got, want] : {std::pair{a[0], e1}, std::pair{a[1], e3}}) {
    EXPECT_EQ(got.client, want.client);
    EXPECT_EQ(got.day, want.day);
    EXPECT_EQ(got.file, want.file);
    EXPECT_EQ(got.mode, want.mode);
    EXPECT_EQ(got.path, want.path);
    EXPECT_EQ(got.rows_in_file, want.rows_in_file);
    EXPECT_EQ(got.rows_processed, want.rows_processed);
    EXPECT_EQ(got.groups_written, want.groups_written);
    EXPECT_DOUBLE_EQ(got.total_ms, want.total_ms);
    EXPECT_EQ(got.host, want.host);
    EXPECT_EQ(got.pid, want.pid);
    EXPECT_EQ(got.finished_at.substr(0, 2), "20");
    EXPECT_EQ(got.finished_at.back(), 'Z');
  }
  EXPECT_LE(a[0].finished_at, a[1].finished_at);
  EXPECT_TRUE(store->runs("nobody").empty());
}

FailureRecord failure_of(const std::string& client, int day, const std::string& error) {
  return FailureRecord{client,   day, "data/" + client + "/transactions_day_2.zip", error, "", "",
                       "host-1", 4242};
}

TEST_P(StoreContract, FailuresAreRecordedAloneAndClearedByTheNextAppliedRun) {
  const auto store = kind_.open();
  EXPECT_TRUE(store->failures("").empty());
  replace(*store, "a", {{"2025-01-01", "S", 1, 100, 1}});
  {
    const auto w = store->begin_write("a");
    w->log_run(log_entry("a", 1, "first-run"));
    w->commit();
  }
  store->record_failure(failure_of("a", 2, "x.zip: expected a zip archive, found none"));
  store->record_failure(failure_of("b", 3, "y.zip: expected day 3, found none"));
  EXPECT_EQ(kind_.rows("a"), (std::vector<RefRow>{{"2025-01-01", "S", 1, 100, 1}}));
  EXPECT_EQ(store->runs("a").size(), 1u) << "a failure is no run";
  const auto a = store->failures("a");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].client, "a");
  EXPECT_EQ(a[0].day, 2);
  EXPECT_EQ(a[0].file, "data/a/transactions_day_2.zip");
  EXPECT_EQ(a[0].error, "x.zip: expected a zip archive, found none");
  EXPECT_EQ(a[0].host, "host-1");
  EXPECT_EQ(a[0].pid, 4242);
  EXPECT_EQ(a[0].failed_at.substr(0, 2), "20");
  EXPECT_EQ(a[0].failed_at.back(), 'Z');
  EXPECT_EQ(a[0].cleared_at, "");
  {
    const auto w = store->begin_write("a");
    w->log_run(log_entry("a", 2, "checkpoint"));  // not committed: the failure stands
  }
  EXPECT_EQ(store->failures("a").at(0).cleared_at, "");
  {
    const auto w = store->begin_write("a");
    w->log_run(log_entry("a", 2, "checkpoint"));
    w->commit();
  }
  const auto all = store->failures("");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].client, "a");
  EXPECT_GE(all[0].cleared_at, all[0].failed_at);
  EXPECT_EQ(all[0].cleared_at.back(), 'Z');
  EXPECT_EQ(all[1].client, "b");
  EXPECT_EQ(all[1].cleared_at, "") << "another client's failure stands";
}

TEST_P(StoreContract, AVersion2SchemaGetsTheFailuresTable) {
  replace(*kind_.open(), "c", {{"2025-01-01", "S", 1, 100, 1}});
  kind_.exec("DROP TABLE snapdelta_failures");
  kind_.exec("UPDATE snapdelta_meta SET value='2' WHERE key='schema_version'");
  const auto store = kind_.open();
  EXPECT_TRUE(store->failures("").empty()) << "read before the upgrade";
  check_store(StoreOptions{kind_.db()});
  EXPECT_EQ(kind_.query("SELECT value FROM snapdelta_meta WHERE key='schema_version'"),
            (Cells{{"4"}}));
  store->record_failure(failure_of("c", 2, "bad"));
  EXPECT_EQ(store->failures("c").size(), 1u);
  EXPECT_EQ(kind_.rows("c"), (std::vector<RefRow>{{"2025-01-01", "S", 1, 100, 1}}));
}

// Each writer reads a counter from the state under its lock and writes it back plus one, with
// one row: a lost update would show as a count short of the number of writers.
TEST_P(StoreContract, TwoWritersOfOneClientSerialize) {
  replace(*kind_.open(), "c", {});
  constexpr int kWriters = 4;
  constexpr int kEach = 5;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kWriters; ++t) {
    threads.emplace_back([&] {
      try {
        const auto store = kind_.open(30000);
        for (int i = 0; i < kEach; ++i) {
          const auto w = store->begin_write("c");
          ClientState s = w->load_state().value_or(ClientState{});
          s.client = "c";
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
          s.rows += 1;
          w->add_groups(table_of({{"2025-01-01", "S", 1, 1, 1}}));
          w->save_state(s);
          w->commit();
        }
      } catch (const std::exception& e) {
        ++failures;
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  const auto store = kind_.open();
  EXPECT_EQ(store->load_state("c")->rows, static_cast<uint64_t>(kWriters * kEach));
  EXPECT_EQ(kind_.rows("c"), (std::vector<RefRow>{{"2025-01-01", "S", kWriters * kEach,
                                                   kWriters * kEach, kWriters * kEach}}));
}

// PostgreSQL claims one client: another connection's try_begin_write passes it over at once and
// takes other clients, with or without a state row. SQLite has one lock for the database: it
// waits for the holder, then proceeds.
TEST_P(StoreContract, TryBeginWriteSkipsAClientHeldByAnotherConnection) {
  {
    const auto store = kind_.open();
    const auto w = store->begin_write("stated");
    w->save_state(sample_state("stated"));
    w->commit();
  }
  const auto holder = kind_.open();
  const auto other = kind_.open(30000);
  for (const std::string client : {"stated", "new"}) {
    SCOPED_TRACE(client);
    auto held = holder->begin_write(client);
    held->add_groups(table_of({{"2025-01-01", "H", 1, 1, 1}}));
    if (kind_.postgres()) {
      const auto t0 = std::chrono::steady_clock::now();
      EXPECT_EQ(other->try_begin_write(client), nullptr);
      // It returns without waiting: well within the 30 s busy timeout it would otherwise wait out.
      EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(15));
      auto free = other->try_begin_write(client == "new" ? "stated" : "new");
      ASSERT_NE(free, nullptr) << "another client was not free";
      free.reset();
      held->commit();
    } else {
      auto waiter = std::async(std::launch::async, [&] { return other->try_begin_write(client); });
      EXPECT_EQ(waiter.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
      held->commit();
      EXPECT_NE(waiter.get(), nullptr);
    }
    held.reset();
    auto again = other->try_begin_write(client);  // free once the holder committed
    ASSERT_NE(again, nullptr);
    EXPECT_EQ(kind_.rows(client).size(), 1u);
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

// SQLite only: the file is the store.
TEST(SqliteStore, OpeningAMissingDatabaseWithoutCreateNamesIt) {
  TempDir dir("store");
  const std::string db = dir / "nope.db";
  try {
    SqliteStore store(db, StoreOpen::existing);
    FAIL() << "opened a missing database";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(db + ": ", 0), 0u) << e.what();
  }
  try {
    open_store(StoreOptions{db, StoreOpen::existing});
    FAIL() << "opened a missing database";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), db + ": expected a database, found no such file in " +
                                         dir.str() +
                                         " (run snapdelta sync (or run) first, or pass --db)");
  }
  EXPECT_FALSE(std::filesystem::exists(db));
  EXPECT_FALSE(store_exists(StoreOptions{db}));
}

// The log is copied into the database (a checkpoint) once it passes kCheckpointPages, not at
// SQLite's default of 1,000 pages: below the bound a write's pages stay in the WAL.
TEST(SqliteStore, TheLogIsCheckpointedOnceItPassesItsPageBound) {
  TempDir dir("store");
  const std::string db = dir / "wal.db";
  SqliteStore store(db, StoreOpen::create_if_missing);
  const auto write_windows = [&store](const std::string& client, size_t n) {
    ClientState s = sample_state(client);
    s.checkpoints.clear();
    for (size_t i = 0; i < n; ++i) {  // each row's 32 KiB window takes 8 pages
      StoredCheckpoint cp;
      cp.in_byte = i;
      cp.window = std::string(32768, static_cast<char>('a' + i % 26));
      s.checkpoints.push_back(cp);
    }
    const auto w = store.begin_write(client);
    w->save_state(s);
    w->commit();
  };
  constexpr uint64_t kMiB = 1 << 20;
  write_windows("a", 400);  // ~3,300 pages
  EXPECT_LT(std::filesystem::file_size(db), kMiB);
  EXPECT_GT(std::filesystem::file_size(db + "-wal"), 12 * kMiB);
  write_windows("b", 1700);  // the log passes 16,384 pages: copied
  EXPECT_GT(std::filesystem::file_size(db), 64 * kMiB);
  EXPECT_EQ(store.load_state("a")->checkpoints.size(), 400u);
  EXPECT_EQ(store.load_state("b")->checkpoints.size(), 1700u);
}
