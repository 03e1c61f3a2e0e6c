// Reading a parsed TOML document with errors that name the file, line and column: the helpers
// the job file's sections share. Contract: every failure throws snapdelta::Error as one line,
// `path:line:column: expected ..., found ...`, placed at the offending key or value (or at the
// table that lacks a key). Entries come back in the file's order, never the map's.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace snapdelta::toml_read {

using Entry = std::pair<const toml::key*, const toml::node*>;

[[noreturn]] void fail_at(std::string_view path, const toml::source_region& where,
                          std::string_view message);

// How an error names the key it is about: `message` ("expected X, found Y") with " for KEY"
// after X, KEY the dotted TOML path ("columns.revenue_usd", "table.measures.total_quantity").
std::string for_key(std::string_view message, std::string_view key);
[[noreturn]] void fail_key(std::string_view path, const toml::source_region& where,
                           std::string_view key, std::string_view message);

// "a string", "an integer", "a table"...: how an error names what it found.
std::string describe(const toml::node& node);

// The table's entries in the order the file writes them.
std::vector<Entry> in_file_order(const toml::table& table);

// Fails at the first key of `table` that is not one of `allowed`, with a near-miss hint;
// `section` names the table in the message ("[csv]", "columns.cost_total", "[[table]]").
void check_keys(std::string_view path, const toml::table& table, std::string_view section,
                const std::vector<std::string>& allowed);

// The table a key names, or null when the key is absent; fails when it is not a table. `what`
// is the key's dotted path, as for_key() takes it.
const toml::table* table_or_null(std::string_view path, const toml::node* node,
                                 std::string_view what);

// The string at `node`; fails at the node when it is another type. `what` is the key's dotted
// path.
std::string string_of(std::string_view path, const toml::node& node, std::string_view what);

// The node of a key `table` must have; fails at the table when it is absent, naming
// `dotted_key` (the key's dotted path, "source.pattern").
const toml::node& required(std::string_view path, const toml::table& table, std::string_view key,
                           std::string_view dotted_key);

}  // namespace snapdelta::toml_read
