#include "job/names.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "common/error.h"

namespace snapdelta {
namespace {

// PostgreSQL 16, appendix C, "reserved" and "reserved (can be function or type)", and the SQLite
// key words its grammar does not take back as identifiers; sorted, lower case.
constexpr std::array<std::string_view, 117> kReserved = {
    "add",
    "all",
    "alter",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "autoincrement",
    "between",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "commit",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "delete",
    "desc",
    "distinct",
    "do",
    "drop",
    "else",
    "end",
    "escape",
    "except",
    "exists",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "index",
    "initially",
    "inner",
    "insert",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "nothing",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "set",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "transaction",
    "true",
    "union",
    "unique",
    "update",
    "user",
    "using",
    "values",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
};

bool head_char(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool tail_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

bool is_reserved_word(std::string_view word) {
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::binary_search(kReserved.begin(), kReserved.end(), std::string_view(lower));
}

std::string name_problem(std::string_view name) {
  const bool shaped =
      !name.empty() && head_char(name[0]) && std::all_of(name.begin() + 1, name.end(), tail_char);
  if (!shaped)
    return fmt::format(
        "expected a name of letters, digits and _ that does not start with a digit, found {}",
        quote_whole(name));
  if (is_reserved_word(name))
    return fmt::format(
        "expected a name that is not a reserved word of SQLite or PostgreSQL, found {}",
        quote_whole(name));
  return "";
}

}  // namespace snapdelta
