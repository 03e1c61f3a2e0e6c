// [source] and [csv] of a job file.
#include <fmt/format.h>

#include "common/error.h"
#include "common/near_miss.h"
#include "job/container.h"
#include "job/drop_pattern.h"
#include "job/job_sections.h"

namespace snapdelta::job_sections {
namespace {

using toml_read::fail_key;

const toml::table& root_table(std::string_view path, const toml::table& root,
                              std::string_view key) {
  const toml::table* t = toml_read::table_or_null(path, root.get(key), key);
  if (t == nullptr)
    snapdelta::fail_at(path, 1, 1, fmt::format("expected a [{}] table, found none", key));
  return *t;
}

Container container_of(std::string_view path, const toml::table& source,
                       const toml::node& pattern) {
  if (const toml::node* given = source.get("container")) {
    const std::string name = toml_read::string_of(path, *given, "source.container");
    if (const std::optional<Container> c = container_from_name(name)) return *c;
    fail_key(path, given->source(), "source.container",
             fmt::format("expected a container (zip, gzip, csv or zstd), found {}{}",
                         quote_whole(name), did_you_mean(name, {"zip", "gzip", "csv", "zstd"})));
  }
  const std::string text = **pattern.as_string();
  if (const std::optional<Container> c = container_from_extension(text)) return *c;
  fail_key(path, pattern.source(), "source.pattern",
           fmt::format("expected a pattern ending in .zip, .csv.gz, .gz, .csv, .csv.zst or .zst "
                       "(or a container key in [source]), found {}",
                       quote_whole(text)));
}

// One character from a string key of [csv]; `fallback` when the key is absent.
char one_character(std::string_view path, const toml::table& csv, std::string_view key,
                   char fallback) {
  const toml::node* node = csv.get(key);
  if (node == nullptr) return fallback;
  const std::string dotted = "csv." + std::string(key);
  const std::string text = toml_read::string_of(path, *node, dotted);
  if (text.size() != 1 || text[0] == '\n' || text[0] == '\r')
    fail_key(
        path, node->source(), dotted,
        fmt::format("expected one character other than a line end, found {}", quote_whole(text)));
  return text[0];
}

std::vector<std::string> null_texts(std::string_view path, const toml::table& csv) {
  const toml::node* node = csv.get("null");
  if (node == nullptr) return {};
  if (!node->is_array())
    fail_key(path, node->source(), "csv.null",
             fmt::format("expected an array of strings, found {}", toml_read::describe(*node)));
  std::vector<std::string> out;
  for (const toml::node& item : *node->as_array())
    out.push_back(toml_read::string_of(path, item, "csv.null"));
  return out;
}

}  // namespace

JobSource read_source(std::string_view path, const toml::table& root) {
  const toml::table& source = root_table(path, root, "source");
  toml_read::check_keys(path, source, "[source]", {"pattern", "container", "entry"});
  const toml::node& pattern = toml_read::required(path, source, "pattern", "source.pattern");
  JobSource out;
  out.pattern = toml_read::string_of(path, pattern, "source.pattern");
  const std::string problem = DropPattern::problem(out.pattern);
  if (!problem.empty()) fail_key(path, pattern.source(), "source.pattern", problem);
  out.container = container_of(path, source, pattern);
  if (const toml::node* entry = source.get("entry"))
    out.entry = toml_read::string_of(path, *entry, "source.entry");
  return out;
}

CsvFormat read_csv(std::string_view path, const toml::table& root) {
  CsvFormat out;
  const toml::table* csv = toml_read::table_or_null(path, root.get("csv"), "csv");
  if (csv == nullptr) return out;
  toml_read::check_keys(path, *csv, "[csv]", {"delimiter", "quote", "header", "null"});
  out.delimiter = one_character(path, *csv, "delimiter", out.delimiter);
  out.quote = one_character(path, *csv, "quote", out.quote);
  if (out.quote == out.delimiter)
    fail_key(path, csv->get("quote") ? csv->get("quote")->source() : csv->source(), "csv.quote",
             fmt::format("expected a quote other than the delimiter, found {}",
                         quote_whole(std::string(1, out.quote))));
  if (const toml::node* header = csv->get("header")) {
    if (!header->is_boolean())
      fail_key(path, header->source(), "csv.header",
               fmt::format("expected true or false, found {}", toml_read::describe(*header)));
    out.header = **header->as_boolean();
  }
  out.nulls = null_texts(path, *csv);
  return out;
}

}  // namespace snapdelta::job_sections
