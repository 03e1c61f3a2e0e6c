#include "job/toml_read.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "common/error.h"
#include "common/near_miss.h"

namespace snapdelta::toml_read {

void fail_at(std::string_view path, const toml::source_region& where, std::string_view message) {
  snapdelta::fail_at(path, where.begin.line, where.begin.column, message);
}

std::string for_key(std::string_view message, std::string_view key) {
  const size_t at = message.find(", found ");
  const size_t end = at == std::string_view::npos ? message.size() : at;
  return fmt::format("{} for {}{}", message.substr(0, end), key, message.substr(end));
}

void fail_key(std::string_view path, const toml::source_region& where, std::string_view key,
              std::string_view message) {
  fail_at(path, where, for_key(message, key));
}

std::string describe(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return quote_whole(**node.as_string());
    case toml::node_type::integer:
      return fmt::format("the integer {}", **node.as_integer());
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return **node.as_boolean() ? "true" : "false";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    default:
      return "a date or time";
  }
}

std::vector<Entry> in_file_order(const toml::table& table) {
  std::vector<Entry> out;
  for (auto&& [key, node] : table) out.emplace_back(&key, &node);
  std::stable_sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    const toml::source_position& x = a.first->source().begin;
    const toml::source_position& y = b.first->source().begin;
    return std::pair(x.line, x.column) < std::pair(y.line, y.column);
  });
  return out;
}

void check_keys(std::string_view path, const toml::table& table, std::string_view section,
                const std::vector<std::string>& allowed) {
  for (const auto& [key, node] : in_file_order(table)) {
    const std::string_view name = key->str();
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    fail_at(path, key->source(),
            fmt::format("expected a key of {} ({}), found {}{}", section, fmt::join(allowed, ", "),
                        quote_whole(name), did_you_mean(name, allowed)));
  }
}

const toml::table* table_or_null(std::string_view path, const toml::node* node,
                                 std::string_view what) {
  if (node == nullptr) return nullptr;
  if (!node->is_table())
    fail_at(path, node->source(),
            fmt::format("expected a table for {}, found {}", what, describe(*node)));
  return node->as_table();
}

std::string string_of(std::string_view path, const toml::node& node, std::string_view what) {
  if (!node.is_string())
    fail_at(path, node.source(),
            fmt::format("expected a string for {}, found {}", what, describe(node)));
  return **node.as_string();
}

const toml::node& required(std::string_view path, const toml::table& table, std::string_view key,
                           std::string_view dotted_key) {
  const toml::node* node = table.get(key);
  if (node == nullptr)
    fail_at(path, table.source(), fmt::format("expected a value for {}, found none", dotted_key));
  return *node;
}

}  // namespace snapdelta::toml_read
