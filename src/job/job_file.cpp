#include "job/job_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "job/job_sections.h"

namespace snapdelta {
namespace {

// toml++'s description on one line: its control characters (a newline it saw) escaped.
std::string one_line(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += ch;
  }
  return out;
}

// toml++ says "Error while parsing string: encountered end-of-file"; we say what was expected.
[[noreturn]] void fail_syntax(std::string_view path, const toml::parse_error& e) {
  const std::string description = one_line(e.description());
  std::string_view what = description;
  constexpr std::string_view kLead = "Error while parsing ";
  std::string found(what);
  if (what.starts_with(kLead)) {
    what.remove_prefix(kLead.size());
    const size_t colon = what.find(": ");
    const std::string_view article =
        !what.empty() && std::string_view("aeiou").find(what[0]) != std::string_view::npos ? "an"
                                                                                           : "a";
    if (colon != std::string_view::npos)
      found = fmt::format("an error in {} {}: {}", article, what.substr(0, colon),
                          what.substr(colon + 2));
  }
  toml_read::fail_at(path, e.source(), "expected valid TOML, found " + found);
}

}  // namespace

Job parse_job(std::string_view text, const std::string& path_for_messages) {
  const std::string_view path = path_for_messages;
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    fail_syntax(path, e);
  }
  toml_read::check_keys(path, root, "the job file", {"source", "csv", "columns", "table"});
  Job job;
  job.source = job_sections::read_source(path, root);
  job.csv = job_sections::read_csv(path, root);
  job.columns = job_sections::read_columns(path, root, job.csv);
  job.tables = job_sections::read_tables(path, root, job.columns);
  return job;
}

Job load_job(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::string("cannot open file: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) fail(path, std::string("cannot read file: ") + std::strerror(errno));
  return parse_job(text.str(), path);
}

}  // namespace snapdelta
