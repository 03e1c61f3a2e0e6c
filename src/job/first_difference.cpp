// first_difference() of canonical.h: the stored job against the job a command runs.
#include <fmt/format.h>

#include "job/canonical.h"
#include "job/column_type.h"
#include "job/container.h"
#include "job/job_file.h"
#include "job/job_text.h"
#include "job/toml_text.h"

namespace snapdelta {
namespace {

using Difference = std::optional<std::string>;

Difference changed(std::string_view what, const std::string& was, const std::string& now) {
  if (was == now) return std::nullopt;
  return fmt::format("{} was {}, is now {}", what, was, now);
}

Difference source_difference(const Job& was, const Job& now) {
  if (Difference d = changed("source pattern", toml_string(was.source.pattern),
                             toml_string(now.source.pattern)))
    return d;
  if (Difference d = changed("source container", std::string(container_name(was.source.container)),
                             std::string(container_name(now.source.container))))
    return d;
  return changed("source entry", toml_string(was.source.entry), toml_string(now.source.entry));
}

Difference csv_difference(const CsvFormat& was, const CsvFormat& now) {
  auto one = [](char c) { return toml_string(std::string(1, c)); };
  if (Difference d = changed("csv delimiter", one(was.delimiter), one(now.delimiter))) return d;
  if (Difference d = changed("csv quote", one(was.quote), one(now.quote))) return d;
  if (Difference d =
          changed("csv header", was.header ? "true" : "false", now.header ? "true" : "false"))
    return d;
  return changed("csv null", null_list_text(was.nulls), null_list_text(now.nulls));
}

Difference column_difference(const Column& a, const Column& b) {
  if (Difference d = changed(fmt::format("column {} source", a.name), column_source_text(a),
                             column_source_text(b)))
    return d;
  return changed(fmt::format("column {}", a.name), column_type_text(a.type),
                 column_type_text(b.type));
}

const Column* named(const std::vector<Column>& columns, const std::string& name) {
  for (const Column& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

// header = true on both sides: columns are found by header name, so their order in the file
// decides nothing and they are matched by name.
Difference columns_by_name(const Job& was, const Job& now) {
  for (const Column& a : was.columns) {
    const Column* b = named(now.columns, a.name);
    if (b == nullptr) return fmt::format("column {} was declared, is now not", a.name);
    if (Difference d = column_difference(a, *b)) return d;
  }
  for (const Column& b : now.columns)
    if (named(was.columns, b.name) == nullptr)
      return fmt::format("column {} was not declared, is now", b.name);
  return std::nullopt;
}

Difference columns_difference(const Job& was, const Job& now) {
  if (was.csv.header && now.csv.header) return columns_by_name(was, now);
  for (size_t i = 0; i < std::max(was.columns.size(), now.columns.size()); ++i) {
    if (i >= now.columns.size())
      return fmt::format("column {} was declared, is now not", was.columns[i].name);
    if (i >= was.columns.size())
      return fmt::format("column {} was not declared, is now", now.columns[i].name);
    const Column& a = was.columns[i];
    const Column& b = now.columns[i];
    if (Difference d = changed(fmt::format("column {}", i + 1), a.name, b.name)) return d;
    if (Difference d = column_difference(a, b)) return d;
  }
  return std::nullopt;
}

Difference measures_difference(const Job& was_job, const Table& was, const Job& now_job,
                               const Table& now) {
  for (size_t i = 0; i < std::max(was.measures.size(), now.measures.size()); ++i) {
    if (i >= now.measures.size())
      return fmt::format("table {}: measure {} was computed, is now not", was.name,
                         was.measures[i].name);
    if (i >= was.measures.size())
      return fmt::format("table {}: measure {} was not computed, is now", was.name,
                         now.measures[i].name);
    const Measure& a = was.measures[i];
    const Measure& b = now.measures[i];
    if (Difference d =
            changed(fmt::format("table {}: measure {}", was.name, i + 1), a.name, b.name))
      return d;
    if (Difference d = changed(fmt::format("table {}: measure {}", was.name, a.name),
                               measure_text_of(was_job, a), measure_text_of(now_job, b)))
      return d;
  }
  return std::nullopt;
}

Difference tables_difference(const Job& was, const Job& now) {
  for (size_t i = 0; i < std::max(was.tables.size(), now.tables.size()); ++i) {
    if (i >= now.tables.size())
      return fmt::format("table {} was computed, is now not", was.tables[i].name);
    if (i >= was.tables.size())
      return fmt::format("table {} was not computed, is now", now.tables[i].name);
    const Table& a = was.tables[i];
    const Table& b = now.tables[i];
    if (Difference d = changed(fmt::format("table {}", i + 1), a.name, b.name)) return d;
    if (Difference d = changed(fmt::format("table {}: group_by", a.name),
                               "[" + group_by_text(was, a, ", ") + "]",
                               "[" + group_by_text(now, b, ", ") + "]"))
      return d;
    if (Difference d = measures_difference(was, a, now, b)) return d;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> first_difference(std::string_view stored_canonical, const Job& job) {
  const Job was = parse_job(stored_canonical, "stored job");
  if (Difference d = source_difference(was, job)) return d;
  if (Difference d = csv_difference(was.csv, job.csv)) return d;
  if (Difference d = columns_difference(was, job)) return d;
  return tables_difference(was, job);
}

}  // namespace snapdelta
