// Names a job gives to tables, columns and measures: they become SQL identifiers in SQLite and
// PostgreSQL. Contract: a usable name matches [A-Za-z_][A-Za-z0-9_]* and is not, in any letter
// case, a word either store reserves (PostgreSQL's reserved key words, SQLite's key words that
// cannot stand as a bare identifier). name_problem() says why a name is not usable as
// "expected ..., found ..." (the text after "place: "), or "" when it is.
#pragma once

#include <string>
#include <string_view>

namespace snapdelta {

bool is_reserved_word(std::string_view word);
std::string name_problem(std::string_view name);

}  // namespace snapdelta
