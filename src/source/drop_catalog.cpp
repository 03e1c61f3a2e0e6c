#include "source/drop_catalog.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string_view>
#include <system_error>

#include "common/error.h"

namespace snapdelta::drops {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPrefix = "transactions_day_";
constexpr std::string_view kSuffix = ".zip";
constexpr size_t kListedClients = 20;  // a longer list is cut, with the count

// Natural order: runs of digits compare by value, so client_2 < client_10.
bool natural_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      const size_t i0 = i, j0 = j;
      while (i < a.size() && digit(a[i])) ++i;
      while (j < b.size() && digit(b[j])) ++j;
      std::string_view x(a.data() + i0, i - i0), y(b.data() + j0, j - j0);
      x.remove_prefix(std::min(x.find_first_not_of('0'), x.size()));
      y.remove_prefix(std::min(y.find_first_not_of('0'), y.size()));
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j || (a.size() - i == b.size() - j && a < b);
}

// The entries of `dir`; empty when it does not exist, an Error when it cannot be read.
std::vector<fs::directory_entry> entries(const fs::path& dir) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  std::vector<fs::directory_entry> out;
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) return out;
    fail(dir.string(), "cannot list the directory: " + ec.message());
  }
  for (const fs::directory_entry& e : it) out.push_back(e);
  return out;
}

bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

std::string list_clients(const std::vector<std::string>& names) {
  if (names.empty()) return "no client folders with drops";
  std::string out = names.size() == 1 ? "client " : "clients ";
  for (size_t i = 0; i < names.size() && i < kListedClients; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > kListedClients) out += fmt::format(", ... ({} in all)", names.size());
  return out;
}

std::string missing_why(const std::string& data_dir, const std::string& client, int day,
                        const DropPattern& pattern) {
  const std::string hint = "(pass --data-dir, or create drops with snapdelta generate)";
  const std::string abs_data = absolute_dir(data_dir);
  if (!is_dir(data_dir)) {
    std::error_code ec;
    const bool exists = fs::exists(data_dir, ec);
    return fmt::format("expected a data directory at {}, found {} {}", abs_data,
                       exists ? "a file" : "none", hint);
  }
  if (!is_dir(fs::path(data_dir) / client)) {
    const std::string found = list_clients(clients(data_dir, pattern));
    return fmt::format("expected client {} in {}, found {} {}", quote_found(client), abs_data,
                       found, hint);
  }
  const std::vector<int> have = days(data_dir, client, pattern);
  const std::string_view noun = pattern.keyed_by_date() ? "date" : "day";
  const std::string found = have.empty() ? "no drops"
                                         : fmt::format("{}{} {}", noun, have.size() == 1 ? "" : "s",
                                                       describe_keys(have, pattern));
  return fmt::format("expected {} {} in {}, found {} {}", noun, pattern.key_text(day),
                     absolute_dir((fs::path(data_dir) / client).string()), found, hint);
}

}  // namespace

std::string drop_name(int day) { return fmt::format("{}{}{}", kPrefix, day, kSuffix); }

std::optional<int> day_of(const std::string& name) {
  const std::string_view s(name);
  if (s.size() <= kPrefix.size() + kSuffix.size() || s.substr(0, kPrefix.size()) != kPrefix ||
      s.substr(s.size() - kSuffix.size()) != kSuffix) {
    return std::nullopt;
  }
  const std::string_view digits =
      s.substr(kPrefix.size(), s.size() - kPrefix.size() - kSuffix.size());
  if (digits[0] == '0') return std::nullopt;  // drop_path() never writes a leading zero
  int day = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), day);
  if (ec != std::errc() || end != digits.data() + digits.size() || day < 1) return std::nullopt;
  return day;
}

const DropPattern& default_pattern() {
  static const DropPattern pattern = *DropPattern::compile(kDefaultPattern);
  return pattern;
}

DropPattern pattern_or_default(std::string_view text) {
  if (text.empty()) return default_pattern();
  std::optional<DropPattern> pattern = DropPattern::compile(text);
  if (!pattern) throw Error(fmt::format("--pattern: {}", DropPattern::problem(text)));
  return *pattern;
}

std::string drop_path(const std::string& data_dir, const std::string& client, int day,
                      const DropPattern& pattern) {
  return (fs::path(data_dir) / pattern.format(client, day)).string();
}

namespace {

// Lists the client's folder once: its drops' days and the files that look like drops but do not
// match the pattern.
FolderDrops list_folder(const std::string& data_dir, const std::string& client,
                        const DropPattern& pattern) {
  FolderDrops out{client, {}, {}};
  const fs::path folder = fs::path(pattern.format(client, 1)).parent_path();
  for (const fs::directory_entry& e : entries(fs::path(data_dir) / folder)) {
    std::error_code ec;
    if (!e.is_regular_file(ec)) continue;
    const std::string name = (folder / e.path().filename()).generic_string();
    const std::optional<DropKey> drop = pattern.match(name);
    if (drop && drop->client == client && drop->key >= 1 &&
        drop->key <= std::numeric_limits<int>::max()) {
      out.days.push_back(static_cast<int>(drop->key));
    }
    const std::optional<std::string> why = pattern.why_not(name);
    if (why && why->find(": does not match the pattern ") == std::string::npos)
      out.ignored.push_back(*why);
  }
  std::sort(out.days.begin(), out.days.end());
  std::sort(out.ignored.begin(), out.ignored.end());
  return out;
}

}  // namespace

std::vector<int> days(const std::string& data_dir, const std::string& client,
                      const DropPattern& pattern) {
  return list_folder(data_dir, client, pattern).days;
}

std::vector<std::string> folders(const std::string& data_dir) {
  std::vector<std::string> out;
  for (const fs::directory_entry& e : entries(data_dir)) {
    std::error_code ec;
    if (e.is_directory(ec)) out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end(), natural_less);
  return out;
}

std::vector<std::string> clients(const std::string& data_dir, const DropPattern& pattern) {
  std::vector<std::string> out;
  for (const std::string& name : folders(data_dir)) {
    if (!days(data_dir, name, pattern).empty()) out.push_back(name);
  }
  return out;
}

std::optional<int> newest_day(const std::string& data_dir, const std::string& client,
                              std::optional<int> at_most, const DropPattern& pattern) {
  const std::vector<int> have = days(data_dir, client, pattern);
  for (auto it = have.rbegin(); it != have.rend(); ++it) {
    if (!at_most || *it <= *at_most) return *it;
  }
  return std::nullopt;
}

std::vector<FolderDrops> survey(const std::string& data_dir, const DropPattern& pattern) {
  std::vector<FolderDrops> out;
  for (const std::string& name : folders(data_dir))
    out.push_back(list_folder(data_dir, name, pattern));
  return out;
}

std::vector<std::string> ignored(const std::string& data_dir, const DropPattern& pattern) {
  std::vector<std::string> out;
  for (const FolderDrops& f : survey(data_dir, pattern))
    out.insert(out.end(), f.ignored.begin(), f.ignored.end());
  return out;
}

std::string require_drop(const std::string& data_dir, const std::string& client, int day,
                         const DropPattern& pattern) {
  const std::string path = drop_path(data_dir, client, day, pattern);
  std::error_code ec;
  if (fs::status(path, ec).type() != fs::file_type::not_found) return path;
  fail(path, fmt::format("cannot open file: {}; {}", std::strerror(ENOENT),
                         missing_why(data_dir, client, day, pattern)));
}

std::string absolute_dir(const std::string& dir) {
  std::error_code ec;
  fs::path abs = fs::absolute(dir, ec).lexically_normal();
  if (ec) abs = fs::path(dir).lexically_normal();
  if (!abs.has_filename() && abs.has_parent_path() && abs != abs.root_path())
    abs = abs.parent_path();
  return abs.string();
}

std::string describe_keys(const std::vector<int>& days, const DropPattern& pattern) {
  const std::string_view to = pattern.keyed_by_date() ? " to " : "-";
  std::string out;
  for (size_t i = 0; i < days.size();) {
    size_t j = i;
    while (j + 1 < days.size() && days[j + 1] == days[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += pattern.key_text(days[i]);
    if (j != i) out += fmt::format("{}{}", to, pattern.key_text(days[j]));
    i = j + 1;
  }
  return out;
}

std::string describe_days(const std::vector<int>& days) {
  return describe_keys(days, default_pattern());
}

}  // namespace snapdelta::drops
