// Tests for src/store (SqliteStore over SqliteDb): the schema is created idempotently and a newer
// one is refused; replace_client replaces one client only; add_to_client sums exactly (and refuses
// an int64 overflow instead of turning it into a REAL); the state round-trips with its segments
// and checkpoints; total_revenue reads as REAL cents/100.0; a transaction not committed leaves
// nothing behind. Rows are read back with the SQLite C API where the point is independence.
#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>
#include <vector>

#include "aggregate/group_table.h"
#include "common/date.h"
#include "common/error.h"
#include "store/sqlite_store.h"
#include "test_support.h"

using namespace snapdelta;
using test::RefRow;
using test::TempDir;

namespace {

int32_t day(const char* text) {
  int32_t d = 0;
  EXPECT_TRUE(parse_date(text, &d)) << text;
  return d;
}

struct G {
  const char* date;
  const char* sku;
  int64_t quantity;
  int64_t cents;
  int times;  // rows added
};

void fill(GroupTable& t, const std::vector<G>& groups) {
  for (const G& g : groups) {
    for (int i = 0; i < g.times; ++i)
      ASSERT_TRUE(t.add(day(g.date), t.skus().intern(g.sku), g.quantity, g.cents));
  }
}

void replace(SqliteStore& store, const std::string& client, const std::vector<G>& groups) {
  GroupTable t;
  fill(t, groups);
  WriteTransaction tx(store.db());
  store.ensure_schema();
  store.replace_client(client, t);
  tx.commit();
}

// Returns how many groups add_to_client reported as new keys.
uint64_t add(SqliteStore& store, const std::string& client, const std::vector<G>& groups) {
  GroupTable t;
  fill(t, groups);
  WriteTransaction tx(store.db());
  store.ensure_schema();
  const uint64_t added = store.add_to_client(client, t);
  tx.commit();
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
  s.mode = "incremental";
  s.segments = {
      {1000, 20, 0x8000000000000001ULL}, {5000, 99, 42}, {0xFFFFFFFFFFFFFFF0ULL, 100, ~0ULL}};
  for (int i = 0; i < 5; ++i) {
    Checkpoint cp;
    cp.in_byte = 1000 + static_cast<uint64_t>(i) * 777;
    cp.bits = i % 8;
    cp.low_bits = static_cast<uint8_t>(i * 13 & cp.low_mask());
    cp.compressed_hash = 0xF000000000000000ULL + static_cast<uint64_t>(i);
    cp.out_offset = 90000 + static_cast<uint64_t>(i);
    cp.tail_hash = ~static_cast<uint64_t>(i);
    cp.window = std::string(static_cast<size_t>(i == 0 ? 0 : 32768 - i), '\0');
    // Windows of a pattern, and one of incompressible bytes (the stored form must not grow past
    // what the compressor was given room for).
    std::mt19937_64 rng(static_cast<uint64_t>(i));
    for (size_t k = 0; k < cp.window.size(); ++k)
      cp.window[k] = i == 4 ? static_cast<char>(rng())
                            : static_cast<char>((k * 7 + static_cast<size_t>(i)) % 256);
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
    const Checkpoint& x = a.checkpoints[i];
    const Checkpoint& y = b.checkpoints[i];
    EXPECT_EQ(x.in_byte, y.in_byte);
    EXPECT_EQ(x.bits, y.bits);
    EXPECT_EQ(x.low_bits, y.low_bits);
    EXPECT_EQ(x.compressed_hash, y.compressed_hash);
    EXPECT_EQ(x.out_offset, y.out_offset);
    EXPECT_EQ(x.tail_hash, y.tail_hash);
    EXPECT_TRUE(x.window == y.window) << "checkpoint " << i;
  }
}

}  // namespace

TEST(Store, SchemaIsCreatedIdempotently) {
  TempDir dir("store");
  const std::string db = dir / "s.db";
  {
    SqliteStore store(db, StoreOpen::create_if_missing);
    EXPECT_FALSE(store.has_schema());
    for (int i = 0; i < 3; ++i) {
      WriteTransaction tx(store.db());
      store.ensure_schema();
      store.ensure_schema();
      tx.commit();
    }
    EXPECT_TRUE(store.has_schema());
  }
  replace(*std::make_unique<SqliteStore>(db, StoreOpen::existing), "c",
          {{"2025-01-01", "S", 1, 100, 1}});
  {
    SqliteStore again(db, StoreOpen::existing);
    WriteTransaction tx(again.db());
    again.ensure_schema();  // on an existing database with rows: changes nothing
    tx.commit();
  }
  test::Sqlite raw(db);
  EXPECT_EQ(raw.query("SELECT value FROM snapdelta_meta WHERE key='schema_version'"),
            (std::vector<std::vector<std::string>>{{"2"}}));
  EXPECT_EQ(raw.query("SELECT count(*) FROM processed_sales"),
            (std::vector<std::vector<std::string>>{{"1"}}));
  EXPECT_EQ(raw.query("SELECT count(*) FROM snapdelta_meta"),
            (std::vector<std::vector<std::string>>{{"1"}}));
}

TEST(Store, OpeningAMissingDatabaseWithoutCreateNamesIt) {
  TempDir dir("store");
  const std::string db = dir / "nope.db";
  try {
    SqliteStore store(db, StoreOpen::existing);
    FAIL() << "opened a missing database";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(db + ": ", 0), 0u) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(db));
}

TEST(Store, NewerSchemaVersionIsRefused) {
  TempDir dir("store");
  const std::string db = dir / "s.db";
  replace(*std::make_unique<SqliteStore>(db, StoreOpen::create_if_missing), "c",
          {{"2025-01-01", "S", 1, 100, 1}});
  {
    test::Sqlite raw(db, true);
    raw.exec("UPDATE snapdelta_meta SET value='3' WHERE key='schema_version'");
  }
  SqliteStore store(db, StoreOpen::existing);
  WriteTransaction tx(store.db());
  try {
    store.ensure_schema();
    FAIL() << "accepted schema version 3";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.rfind(db + ": ", 0), 0u) << m;
    EXPECT_NE(m.find("version 3"), std::string::npos) << m;
  }
}

TEST(Store, ReplaceClientReplacesOnlyThatClient) {
  TempDir dir("store");
  const std::string db = dir / "s.db";
  SqliteStore store(db, StoreOpen::create_if_missing);
  replace(store, "a", {{"2025-01-01", "S1", 2, 150, 3}, {"2025-01-02", "S2", 1, -7, 1}});
  replace(store, "b", {{"2025-01-01", "S1", 9, 900, 1}});
  EXPECT_EQ(test::db_rows(db, "a"),
            (std::vector<RefRow>{{"2025-01-01", "S1", 6, 450, 3}, {"2025-01-02", "S2", 1, -7, 1}}));
  replace(store, "a", {{"2025-02-01", "S9", 4, 400, 2}});
  EXPECT_EQ(test::db_rows(db, "a"), (std::vector<RefRow>{{"2025-02-01", "S9", 8, 800, 2}}));
  EXPECT_EQ(test::db_rows(db, "b"), (std::vector<RefRow>{{"2025-01-01", "S1", 9, 900, 1}}));
  replace(store, "a", {});
  EXPECT_TRUE(test::db_rows(db, "a").empty());
  EXPECT_EQ(test::db_rows(db, "a").size(), 0u);
  EXPECT_EQ(test::db_rows(db, "b").size(), 1u);
  // client_rows agrees with the raw reading.
  const auto rows = store.client_rows("b");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (SalesRow{"2025-01-01", "S1", 9, 900, 1}));
}

TEST(Store, AddToClientSumsExactly) {
  TempDir dir("store");
  const std::string db = dir / "s.db";
  SqliteStore store(db, StoreOpen::create_if_missing);
  replace(store, "a", {{"2025-01-01", "S1", 2, 150, 3}, {"2025-01-02", "S2", 1, 1, 1}});
  EXPECT_EQ(add(store, "a", {{"2025-01-01", "S1", 1, 5, 2}, {"2025-01-03", "S3", 7, 70, 1}}), 1u);
  EXPECT_EQ(add(store, "b", {{"2025-01-01", "S1", 1, 5, 1}}), 1u);
  EXPECT_EQ(add(store, "a", {{"2025-01-02", "S2", -1, -1, 1}}), 0u);
  EXPECT_EQ(test::db_rows(db, "a"), (std::vector<RefRow>{{"2025-01-01", "S1", 8, 460, 5},
                                                         {"2025-01-02", "S2", 0, 0, 2},
                                                         {"2025-01-03", "S3", 7, 70, 1}}));
  EXPECT_EQ(test::db_rows(db, "b"), (std::vector<RefRow>{{"2025-01-01", "S1", 1, 5, 1}}));
  EXPECT_EQ(test::db_rows(db, "a").size(), 3u);
  // Big sums stay integers, to the cent.
  const int64_t big = 4'000'000'000'000'000'000;
  add(store, "c", {{"2025-01-01", "S", 1, big, 1}});
  add(store, "c", {{"2025-01-01", "S", 1, big + 7, 1}});
  EXPECT_EQ(test::db_rows(db, "c"), (std::vector<RefRow>{{"2025-01-01", "S", 2, 2 * big + 7, 2}}));
}

TEST(Store, AddToClientRefusesAnInt64OverflowAndRollsBack) {
  TempDir dir("store");
  const std::string db = dir / "s.db";
  SqliteStore store(db, StoreOpen::create_if_missing);
  const int64_t max = std::numeric_limits<int64_t>::max();
  replace(store, "a", {{"2025-01-01", "S", max - 1, 100, 1}, {"2025-01-02", "S", 1, max - 1, 1}});
  const auto before = test::db_rows(db, "a");
  EXPECT_THROW(add(store, "a", {{"2025-01-01", "S", 5, 1, 1}}), Error);
  EXPECT_THROW(add(store, "a", {{"2025-01-02", "S", 1, 5, 1}}), Error);
  EXPECT_EQ(test::db_rows(db, "a"), before);
}

TEST(Store, UncommittedTransactionChangesNothing) {
  TempDir dir("store");
  const std::string db = dir / "s.db";
  SqliteStore store(db, StoreOpen::create_if_missing);
  replace(store, "a", {{"2025-01-01", "S", 1, 100, 1}});
  {
    GroupTable t;
    fill(t, {{"2025-01-05", "X", 1, 1, 1}});
    WriteTransaction tx(store.db());
    store.replace_client("a", t);
    store.save_state(sample_state("a"));
  }
  EXPECT_EQ(test::db_rows(db, "a"), (std::vector<RefRow>{{"2025-01-01", "S", 1, 100, 1}}));
  EXPECT_FALSE(store.load_state("a").has_value());
}

TEST(Store, TotalRevenueIsARealOfCentsOverOneHundred) {
  TempDir dir("store");
  const std::string db = dir / "s.db";
  SqliteStore store(db, StoreOpen::create_if_missing);
  replace(store, "a",
          {{"2025-01-01", "A", 1, 1234, 1},
           {"2025-01-01", "B", 1, -7, 1},
           {"2025-01-01", "C", 1, 10, 1},
           {"2025-01-01", "D", 1, 123456789012345, 1}});
  test::Sqlite raw(db);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(raw.handle(),
                         "SELECT sku_id, total_revenue, typeof(total_revenue), total_revenue_cents "
                         "FROM processed_sales ORDER BY sku_id",
                         -1, &st, nullptr),
      SQLITE_OK);
  int n = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    ++n;
    const double revenue = sqlite3_column_double(st, 1);
    const int64_t cents = sqlite3_column_int64(st, 3);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 2)), "real");
    EXPECT_EQ(revenue, static_cast<double>(cents) / 100.0) << sqlite3_column_text(st, 0);
  }
  sqlite3_finalize(st);
  EXPECT_EQ(n, 4);
  EXPECT_EQ(raw.query("SELECT total_revenue FROM processed_sales WHERE sku_id='A'"),
            (std::vector<std::vector<std::string>>{{"12.34"}}));
  EXPECT_EQ(raw.query("SELECT total_revenue FROM processed_sales WHERE sku_id='B'"),
            (std::vector<std::vector<std::string>>{{"-0.07"}}));
  // The documented column set is all there.
  EXPECT_EQ(
      raw.query(
          "SELECT client_id, transaction_date, sku_id, total_quantity, total_revenue, order_count "
          "FROM processed_sales WHERE sku_id='C'"),
      (std::vector<std::vector<std::string>>{{"a", "2025-01-01", "C", "1", "0.1", "1"}}));
}

TEST(Store, StateRoundTripsWithSegmentsAndCheckpoints) {
  TempDir dir("store");
  const std::string db = dir / "s.db";
  const ClientState a = sample_state("client_a");
  ClientState b = sample_state("client_b");
  b.unterminated = false;
  b.segments.clear();
  b.checkpoints.resize(1);
  {
    SqliteStore store(db, StoreOpen::create_if_missing);
    EXPECT_FALSE(store.load_state("client_a").has_value());  // no schema yet
    WriteTransaction tx(store.db());
    store.ensure_schema();
    EXPECT_FALSE(store.load_state("client_a").has_value());
    store.save_state(b);
    store.save_state(a);
    tx.commit();
  }
  SqliteStore store(db, StoreOpen::existing);
  const auto la = store.load_state("client_a");
  ASSERT_TRUE(la.has_value());
  expect_same_state(*la, a);
  EXPECT_GE(la->updated_at.size(), 20u);
  EXPECT_EQ(la->updated_at.substr(0, 2), "20");
  EXPECT_EQ(la->updated_at.back(), 'Z');
  const auto lb = store.load_state("client_b");
  ASSERT_TRUE(lb.has_value());
  expect_same_state(*lb, b);
  const auto all = store.all_states();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].client, "client_a");
  EXPECT_EQ(all[1].client, "client_b");
  EXPECT_FALSE(store.load_state("client_c").has_value());
  // Saving again replaces the state and its checkpoints (fewer now), not appends.
  ClientState a2 = a;
  a2.day = 8;
  a2.checkpoints.resize(2);
  a2.segments.push_back({0xFFFFFFFFFFFFFFFFULL, 1, 2});
  {
    WriteTransaction tx(store.db());
    store.save_state(a2);
    tx.commit();
  }
  expect_same_state(*store.load_state("client_a"), a2);
  expect_same_state(*store.load_state("client_b"), b);
  test::Sqlite raw(db);
  EXPECT_EQ(raw.query("SELECT count(*) FROM snapdelta_checkpoint WHERE client_id='client_a'"),
            (std::vector<std::vector<std::string>>{{"2"}}));
}
