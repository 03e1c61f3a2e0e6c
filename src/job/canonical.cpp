#include "job/canonical.h"

#include <fmt/format.h>

#include "job/column_type.h"
#include "job/container.h"
#include "job/job_file.h"
#include "job/job_text.h"
#include "job/toml_text.h"

namespace snapdelta {

std::string canonical(const Job& job) {
  std::string out = "# snapdelta job, canonical form 1\n[source]\n";
  out +=
      fmt::format("pattern = {}\ncontainer = {}\nentry = {}\n", toml_string(job.source.pattern),
                  toml_string(container_name(job.source.container)), toml_string(job.source.entry));
  out += fmt::format("[csv]\ndelimiter = {}\nquote = {}\nheader = {}\nnull = {}\n",
                     toml_string(std::string(1, job.csv.delimiter)),
                     toml_string(std::string(1, job.csv.quote)), job.csv.header,
                     null_list_text(job.csv.nulls));
  out += "[columns]\n";
  for (const Column& c : job.columns)
    out += fmt::format("{} = {{ from = {}, type = {} }}\n", c.name, column_source_text(c),
                       toml_string(column_type_text(c.type)));
  for (const Table& t : job.tables) {
    out += fmt::format("[[table]]\nname = {}\ngroup_by = [{}]\n[table.measures]\n",
                       toml_string(t.name), group_by_text(job, t, ", "));
    for (const Measure& m : t.measures)
      out += fmt::format("{} = {}\n", m.name, toml_string(measure_text_of(job, m)));
  }
  return out;
}

}  // namespace snapdelta
