// libFuzzer target: the job CSV parser fed arbitrary bytes in arbitrary chunk splits.
//
// Input: byte 0 picks the parser's start (at the file start or mid-file, after an unterminated row
// or not, the first line number); bytes 1-4 seed the chunk split, and byte 1's low bit the job
// (the built-in one, or a wide one: ';' and '\'' as delimiter and quote, nulls, a d/m/Y date,
// three keys and every measure); the rest is the CSV.
// Properties checked:
// - the parser only ever throws snapdelta::Error or HistoryChanged (anything else escapes and is
//   reported as a crash; ASan/UBSan catch memory errors and undefined behaviour);
// - the outcome does not depend on how the bytes are split into chunks: the same rows, lines and
//   groups, or the same error message. Full and incremental runs feed the same bytes in different
//   chunks (the inflater's buffers, a checkpoint's offset), so a difference here is a difference
//   between the two pipelines. A violation throws std::logic_error.
//
// hostile_input_test.cpp includes this file with SNAPDELTA_FUZZ_NO_MAIN defined and replays every
// fuzz/regressions/csv_parser_fuzz-* file through csv_parser_one_input().
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "aggregate/job_groups.h"
#include "common/error.h"
#include "csv/job_parser.h"
#include "job/builtin_job.h"
#include "job/job_file.h"

namespace snapdelta::fuzz_csv {

inline const Job& wide_job() {
  static const Job job = parse_job(R"toml([source]
pattern = "{client}/d_{day}.csv"
[csv]
delimiter = ";"
quote = "'"
null = ["", "NA"]
[columns]
d = "date:%d/%m/%Y"
s = "string"
n = "int"
x = "decimal(3)"
[[table]]
name = "t"
group_by = ["d", "s", "n"]
[table.measures]
rows = "count()"
xs = "count(x)"
total = "sum(x)"
low = "min(n)"
high = "max(d)"
[[table]]
name = "u"
group_by = ["x"]
[table.measures]
total = "sum(n)"
)toml",
                                   "fuzz.toml");
  return job;
}

// What a parse ended with, as text: equal strings mean equal outcomes.
inline std::string parse(std::string_view csv, const ParserStart& start,
                         const std::vector<size_t>& chunks, const Job& job) {
  JobGroups groups(job);
  const std::string header = start.at_file_start()    ? ""
                             : &job == &builtin_job() ? std::string(kBuiltinHeader)
                                                      : "s;x;d;extra;n";
  JobParser parser("fuzz.csv", job, groups, start, header);
  try {
    size_t pos = 0;
    for (size_t n : chunks) {
      parser.feed(csv.data() + pos, n);
      pos += n;
    }
    parser.finish();
  } catch (const HistoryChanged& e) {
    return "history changed at " + std::to_string(e.line) + ": " + e.what();
  } catch (const Error& e) {
    return std::string("error: ") + e.what();
  }
  std::string out = "rows " + std::to_string(parser.rows()) + " lines " +
                    std::to_string(parser.lines()) +
                    (parser.ended_unterminated() ? " unterminated\n" : "\n");
  for (size_t t = 0; t < groups.table_count(); ++t) {
    for (const TableRow& row : groups.rows(t)) {
      for (const Cell& c : row) out += c.null ? "null," : std::to_string(c.number) + c.text + ",";
      out += "\n";
    }
  }
  return out;
}

// Chunk sizes covering `size` bytes, drawn from a small xorshift generator seeded by the input.
inline std::vector<size_t> split(size_t size, uint32_t seed, size_t max_chunk) {
  std::vector<size_t> chunks;
  uint32_t x = seed | 1u;
  for (size_t pos = 0; pos < size;) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    const size_t n = std::min(size - pos, 1 + static_cast<size_t>(x % max_chunk));
    chunks.push_back(n);
    pos += n;
  }
  return chunks;
}

inline int csv_parser_one_input(const uint8_t* data, size_t size) {
  if (size < 5) return 0;
  // Mid-file: after 1 to 64 lines, the last maybe without its line end.
  const ParserStart start = (data[0] & 1) == 0
                                ? ParserStart::file_start()
                                : ParserStart::after(1 + (data[0] >> 2), (data[0] & 2) != 0);
  const uint32_t seed = static_cast<uint32_t>(data[1]) | static_cast<uint32_t>(data[2]) << 8 |
                        static_cast<uint32_t>(data[3]) << 16 | static_cast<uint32_t>(data[4]) << 24;
  const std::string_view csv(reinterpret_cast<const char*>(data) + 5, size - 5);
  const Job& job = (data[1] & 1) == 0 ? builtin_job() : wide_job();

  const std::string whole =
      parse(csv, start, csv.empty() ? std::vector<size_t>{} : std::vector<size_t>{csv.size()}, job);
  const std::string chunked = parse(csv, start, split(csv.size(), seed, 1 + seed % 64), job);
  if (chunked != whole) {
    throw std::logic_error("the outcome depends on the chunk split:\nwhole:   " +
                           whole.substr(0, 300) + "\nchunked: " + chunked.substr(0, 300));
  }
  if (csv.size() <= 4096) {
    const std::string bytewise = parse(csv, start, std::vector<size_t>(csv.size(), 1), job);
    if (bytewise != whole) {
      throw std::logic_error("the outcome depends on the chunk split:\nwhole:     " +
                             whole.substr(0, 300) + "\nbytewise: " + bytewise.substr(0, 300));
    }
  }
  return 0;
}

}  // namespace snapdelta::fuzz_csv

#ifndef SNAPDELTA_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return snapdelta::fuzz_csv::csv_parser_one_input(data, size);
}
#endif
