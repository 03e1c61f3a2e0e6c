#include "job/job_text.h"

#include "job/measure_text.h"
#include "job/toml_text.h"

namespace snapdelta {

std::string null_list_text(const std::vector<std::string>& nulls) {
  std::string out = "[";
  for (size_t i = 0; i < nulls.size(); ++i) out += (i ? ", " : "") + toml_string(nulls[i]);
  return out + "]";
}

std::string column_source_text(const Column& column) {
  return column.from_position ? std::to_string(column.from_position)
                              : toml_string(column.from_header);
}

std::string group_by_text(const Job& job, const Table& table, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < table.group_by.size(); ++i) {
    if (i) out += separator;
    out += toml_string(job.columns[table.group_by[i]].name);
  }
  return out;
}

std::string measure_text_of(const Job& job, const Measure& measure) {
  return measure_text(measure.kind,
                      measure.column == kNoColumn ? "" : job.columns[measure.column].name);
}

}  // namespace snapdelta
