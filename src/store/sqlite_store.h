// SqliteStore: the aggregates table and the per-client state, in one SQLite database.
// Contract: processed_sales(client_id, transaction_date 'YYYY-MM-DD', sku_id, total_quantity,
// total_revenue REAL = cents/100.0 (generated from the exact integer total_revenue_cents),
// order_count) keyed by (client_id, transaction_date, sku_id). All writes happen inside the
// caller's WriteTransaction; ensure_schema() is idempotent and refuses a newer schema version.
// WAL journal, synchronous=NORMAL: a crash leaves the last committed transaction.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aggregate/group_table.h"
#include "store/client_state.h"
#include "store/sqlite_db.h"

namespace snapdelta {

struct SalesRow {
  std::string date;
  std::string sku;
  int64_t quantity = 0;
  int64_t cents = 0;
  int64_t count = 0;
  bool operator==(const SalesRow&) const = default;
};

class SqliteStore {
 public:
  static constexpr int kSchemaVersion = 1;

  SqliteStore(const std::string& path, bool create, int busy_timeout_ms = 60000);
  SqliteDb& db() { return db_; }

  // Creates tables if missing; call inside a write transaction.
  void ensure_schema();
  bool has_schema();

  std::optional<ClientState> load_state(const std::string& client);
  std::vector<ClientState> all_states();
  void save_state(const ClientState& state);

  // Deletes the client's rows and inserts the table's groups.
  void replace_client(const std::string& client, const GroupTable& table);
  // Adds the table's groups into the client's rows; returns how many of them were new keys.
  uint64_t add_to_client(const std::string& client, const GroupTable& table);
  std::vector<SalesRow> client_rows(const std::string& client);

 private:
  void write_groups(const std::string& client, const GroupTable& table, const char* sql_head,
                    const char* sql_tail);
  SqliteDb db_;
  uint64_t merged_rows_ = 0;  // rows add_to_client found already present
};

}  // namespace snapdelta
