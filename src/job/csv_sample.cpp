#include "job/csv_sample.h"

#include <array>

namespace snapdelta {
namespace {

char detect_delimiter(std::string_view line) {
  constexpr std::array<char, 4> kCandidates = {',', ';', '\t', '|'};
  std::array<size_t, 4> counts{};
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    for (size_t i = 0; i < kCandidates.size(); ++i)
      if (!quoted && c == kCandidates[i]) ++counts[i];
  }
  size_t best = 0;
  for (size_t i = 1; i < counts.size(); ++i)
    if (counts[i] > counts[best]) best = i;
  return counts[best] ? kCandidates[best] : ',';
}

// Splits one record starting at `at`; moves `at` past its line end. Sets `complete` to whether
// the record ended with a line end.
std::vector<std::string> read_record(std::string_view text, size_t& at, char delimiter,
                                     bool& complete) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  complete = false;
  while (at < text.size()) {
    const char c = text[at++];
    if (quoted) {
      if (c != '"')
        fields.back() += c;
      else if (at < text.size() && text[at] == '"')
        fields.back() += text[at++];
      else
        quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == delimiter) {
      fields.emplace_back();
    } else if (c == '\n') {
      complete = true;
      break;
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

CsvSample sample_csv(std::string_view head, size_t max_rows) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  CsvSample out;
  out.delimiter = detect_delimiter(head.substr(0, head.find('\n')));
  size_t at = 0;
  bool complete = false;
  out.header = read_record(head, at, out.delimiter, complete);
  while (at < head.size() && out.rows.size() < max_rows) {
    std::vector<std::string> row = read_record(head, at, out.delimiter, complete);
    if (!complete) break;
    if (row.size() == 1 && row[0].empty()) continue;
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace snapdelta
