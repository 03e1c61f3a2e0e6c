// The first rows of a CSV text, split into fields, for infer. Contract: sample_csv() detects the
// delimiter from the header line (the most frequent of , ; tab | outside quotes; ',' if none),
// reads double-quoted fields ("" inside for a quote), CRLF or LF line ends and a UTF-8 BOM, and
// drops a last line without its line end when the text has more than one line (the head of a
// longer file stops mid-row). At most `max_rows` rows after the header are kept.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace snapdelta {

struct CsvSample {
  char delimiter = ',';
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

CsvSample sample_csv(std::string_view head, size_t max_rows);

}  // namespace snapdelta
