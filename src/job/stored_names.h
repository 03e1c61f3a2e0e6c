// The names a job's table takes in a store, before any store is opened: the job validates them
// (no two alike in any letter case, no reserved prefix) and store/table_layout names its columns
// with the same functions. Contract: a decimal column (a key, or sum/min/max of a decimal
// column) is stored as its integer count of 10^-scale units under units_column_name() and read
// under its own name, a generated column beside it; same_name() compares as SQLite and
// PostgreSQL's folding of unquoted names would (ASCII letter case ignored).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace snapdelta {

inline constexpr std::string_view kClientColumn = "client_id";

// `<name>_cents` for scale 2, `<name>_units` for any other scale.
std::string units_column_name(std::string_view name, uint8_t scale);

bool same_name(std::string_view a, std::string_view b);

// The prefix of a table name reserved by snapdelta (snapdelta_), SQLite (sqlite_) or PostgreSQL
// (pg_), in any letter case; "" when the name has none.
std::string_view reserved_table_prefix(std::string_view name);

}  // namespace snapdelta
