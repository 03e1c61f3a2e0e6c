// infer: a job file proposed for a drop, from the head of its CSV. Contract: infer_job() returns
// TOML text that parse_job() reads once its commented-out [[table]] is uncommented: a [source]
// whose pattern is `drop_path_or_pattern` when it holds {client}, else one made from the path
// (its folder as {client}, its last number as {day}, or a date in it as {date:...}); a [csv]
// with the detected delimiter and null = [""] when a sampled value was empty; [columns] in the
// header's order, each typed by guess_column() and named by its header when that is a usable
// name, else by a snake_case name with `from`; a commented-out [[table]] grouped by the first
// date column and the low-cardinality strings (some value repeats in at most half as many
// distinct values as rows), summing the int and decimal columns and counting rows. A head
// without a header line (an empty file) or with a header name twice fails in one line naming
// the drop (and the name and both fields).
#pragma once

#include <string>
#include <string_view>

namespace snapdelta {

std::string infer_job(std::string_view csv_head, const std::string& drop_path_or_pattern);
// The pattern infer_job() writes for a drop's path (see above).
std::string pattern_for_drop(const std::string& drop_path_or_pattern);
// Why that pattern does not match the drop it was made from, as "NAME does not match this
// pattern: REASON" (a leading zero, no number in the name...); "" when it matches or a pattern
// was given. infer_job() writes it as a comment above the pattern.
std::string pattern_mismatch(const std::string& drop_path_or_pattern);
// A usable name for a header: the header itself when usable, else its snake_case form
// ("Cost Total $" -> "cost_total"), "c_" before a leading digit, "_" after a reserved word.
std::string usable_name(std::string_view header, size_t position);

}  // namespace snapdelta
