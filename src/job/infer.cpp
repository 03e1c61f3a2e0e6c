#include "job/infer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>

#include "common/error.h"
#include "job/column_guess.h"
#include "job/column_type.h"
#include "job/csv_sample.h"
#include "job/names.h"
#include "job/toml_text.h"

namespace snapdelta {
namespace {

constexpr size_t kSampleRows = 1000;

struct InferredColumn {
  std::string name;
  std::string header;
  ColumnGuess guess;
};

std::vector<InferredColumn> infer_columns(const CsvSample& sample) {
  std::vector<InferredColumn> out;
  for (size_t i = 0; i < sample.header.size(); ++i) {
    std::vector<std::string> values;
    for (const auto& row : sample.rows) values.push_back(i < row.size() ? row[i] : "");
    std::string name = usable_name(sample.header[i], i + 1);
    for (int n = 2; std::any_of(out.begin(), out.end(), [&](auto& c) { return c.name == name; });
         ++n)
      name = usable_name(sample.header[i], i + 1) + "_" + std::to_string(n);
    out.push_back({std::move(name), sample.header[i], guess_column(values)});
  }
  return out;
}

std::string columns_text(const std::vector<InferredColumn>& columns) {
  std::string out = "[columns]\n";
  for (const InferredColumn& c : columns) {
    const std::string type = toml_string(column_type_text(c.guess.type));
    if (c.name == c.header)
      out += fmt::format("{} = {}\n", c.name, type);
    else
      out += fmt::format("{} = {{ from = {}, type = {} }}\n", c.name, toml_string(c.header), type);
  }
  return out;
}

std::string table_text(const std::vector<InferredColumn>& columns) {
  std::vector<std::string> keys, measures;
  bool dated = false;
  for (const InferredColumn& c : columns) {
    const ColumnKind kind = c.guess.type.kind;
    if (kind == ColumnKind::date && !dated) {
      dated = true;
      keys.push_back(toml_string(c.name));
    } else if (kind == ColumnKind::string && c.guess.values >= 2 &&
               c.guess.distinct * 2 <= c.guess.values) {
      keys.push_back(toml_string(c.name));
    } else if (kind == ColumnKind::int64 || kind == ColumnKind::decimal) {
      measures.push_back(fmt::format("# total_{0} = \"sum({0})\"\n", c.name));
    }
  }
  std::string out = fmt::format(
      "\n# One table to start with: uncomment it and edit its keys and measures.\n"
      "# [[table]]\n# name = \"{}\"\n# group_by = [{}]\n# [table.measures]\n",
      dated ? "daily_totals" : "totals", fmt::join(keys, ", "));
  for (const std::string& m : measures) out += m;
  return out + "# row_count = \"count()\"\n";
}

// Fails unless the header has names, each once: a name twice cannot be read by name.
void check_header(const CsvSample& sample, std::string_view csv_head, const std::string& path) {
  if (csv_head.empty() || csv_head == "\xEF\xBB\xBF")
    fail(path, "expected a header line, found an empty file");
  if (sample.header.size() == 1 && sample.header[0].empty())
    fail_at(path, 1, 0, "expected a header line, found an empty line");
  for (size_t i = 0; i < sample.header.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (sample.header[i] != sample.header[j]) continue;
      fail_at(path, 1, 0,
              fmt::format("expected each header name once, found {} at fields {} and {}",
                          quote_whole(sample.header[i]), j + 1, i + 1));
    }
  }
}

std::string pattern_note(const std::string& drop_path_or_pattern) {
  const std::string mismatch = pattern_mismatch(drop_path_or_pattern);
  if (mismatch.empty()) return "";
  return fmt::format("# {}; rename the drops or edit the pattern\n", mismatch);
}

}  // namespace

std::string usable_name(std::string_view header, size_t position) {
  if (name_problem(header).empty()) return std::string(header);
  std::string out;
  for (const char ch : header) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c))
      out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '_')
      out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) return fmt::format("column_{}", position);
  if (std::isdigit(static_cast<unsigned char>(out[0]))) out = "c_" + out;
  if (is_reserved_word(out)) out += '_';
  return out;
}

std::string infer_job(std::string_view csv_head, const std::string& drop_path_or_pattern) {
  const CsvSample sample = sample_csv(csv_head, kSampleRows);
  check_header(sample, csv_head, drop_path_or_pattern);
  const std::vector<InferredColumn> columns = infer_columns(sample);
  const bool nulls = std::any_of(columns.begin(), columns.end(),
                                 [](const InferredColumn& c) { return c.guess.saw_null; });
  std::string out = fmt::format(
      "# A job file for {}, from its header and first {} rows: check the types and names.\n"
      "[source]\n{}pattern = {}\n\n[csv]\ndelimiter = {}\nquote = '\"'\nheader = true\n"
      "null = {}\n\n",
      drop_path_or_pattern, sample.rows.size(), pattern_note(drop_path_or_pattern),
      toml_string(pattern_for_drop(drop_path_or_pattern)),
      toml_string(std::string(1, sample.delimiter)), nulls ? "[\"\"]" : "[]");
  return out + columns_text(columns) + table_text(columns);
}

}  // namespace snapdelta
