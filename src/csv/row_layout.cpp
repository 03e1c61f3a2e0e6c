#include "csv/row_layout.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "csv/field_split.h"

namespace snapdelta {
namespace {

std::vector<SplitField> split_first_line(std::string_view path, const Job& job,
                                         std::string_view line) {
  std::vector<SplitField> fields;
  size_t column = 0;
  const std::string problem = split_fields(line.data(), line.data() + line.size(),
                                           job.csv.delimiter, job.csv.quote, fields, &column);
  if (!problem.empty()) fail_at(path, 1, column, problem);
  return fields;
}

void map_by_header(std::string_view path, const Job& job, std::string_view line,
                   const std::vector<SplitField>& fields, RowLayout& layout) {
  for (uint32_t c = 0; c < job.columns.size(); ++c) {
    const std::string& name = job.columns[c].from_header;
    size_t found = fields.size();
    for (size_t f = 0; f < fields.size(); ++f) {
      if (fields[f].value != name) continue;
      if (found != fields.size()) {
        fail_at(path, 1, fields[f].column,
                fmt::format("expected a column {} once in the header, found {}", quote_whole(name),
                            quote_whole(line)));
      }
      found = f;
    }
    if (found == fields.size()) {
      fail_at(path, 1, 1,
              fmt::format("expected a column {} in the header, found {}", quote_whole(name),
                          quote_whole(line)));
    }
    layout.column_of[found] = c;
  }
}

void map_by_position(std::string_view path, const Job& job, std::string_view line,
                     RowLayout& layout) {
  for (uint32_t c = 0; c < job.columns.size(); ++c) {
    const uint32_t position = job.columns[c].from_position;
    if (position == 0 || position > layout.fields) {
      fail_at(path, 1, line.size() + 1,
              fmt::format("expected at least {} fields (column {} is field {}), found {}", position,
                          quote_whole(job.columns[c].name), position, layout.fields));
    }
    layout.column_of[position - 1] = c;
  }
}

}  // namespace

RowLayout RowLayout::read(std::string_view path, const Job& job, std::string_view first_line) {
  const std::vector<SplitField> fields = split_first_line(path, job, first_line);
  RowLayout layout;
  layout.fields = fields.size();
  layout.column_of.assign(fields.size(), kSkip);
  if (job.csv.header) {
    map_by_header(path, job, first_line, fields, layout);
  } else {
    map_by_position(path, job, first_line, layout);
  }
  return layout;
}

void RowLayout::empty_csv(std::string_view path, const Job& job) {
  std::string names;
  for (const Column& c : job.columns) {
    if (!names.empty()) names += ", ";
    names += quote_whole(job.csv.header ? c.from_header : c.name);
  }
  fail_at(path, 1, 1,
          fmt::format("expected {} with the columns {}, found an empty CSV",
                      job.csv.header ? "a header" : "a first row", names));
}

}  // namespace snapdelta
