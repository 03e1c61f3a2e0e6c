#include "job/drop_pattern.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "common/error.h"
#include "common/near_miss.h"

namespace snapdelta {
namespace {

constexpr size_t kMaxDayDigits = 18;

// Drop endings why_not() recognises, longest first.
constexpr std::array<std::string_view, 10> kExtensions = {
    ".csv.gz", ".csv.zst", ".csv.zip", ".tsv.gz", ".zip", ".gz", ".csv", ".zst", ".tsv", ".txt"};

std::string_view extension_of(std::string_view path) {
  for (std::string_view ext : kExtensions)
    if (path.size() > ext.size() && path.ends_with(ext)) return ext;
  return {};
}

// Whether `c` is literal text of the date format `format` (not a field such as %Y).
bool is_literal_of(std::string_view format, char c) {
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '%') {
      if (i + 1 < format.size() && format[i + 1] == '%' && c == '%') return true;
      ++i;
    } else if (format[i] == c) {
      return true;
    }
  }
  return false;
}

bool same_text(std::string_view a, std::string_view b, bool any_case) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x != y && !(any_case && std::tolower(x) == std::tolower(y))) return false;
  }
  return true;
}

// The placeholders of `pattern` in order ("client", "day", "date:%Y%m%d"), or the problem.
struct Placeholders {
  std::vector<std::string> names;
  std::vector<bool> after_literal;  // whether literal text precedes each placeholder
  std::string problem;
};

Placeholders placeholders(std::string_view pattern) {
  Placeholders out;
  bool literal = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '}') {
      out.problem =
          fmt::format("expected '{{' before '}}' in the pattern, found {}", quote_whole(pattern));
      return out;
    }
    if (pattern[i] != '{') {
      literal = true;
      continue;
    }
    const size_t close = pattern.find('}', i);
    const std::string_view name = pattern.substr(i + 1, close == pattern.npos ? 0 : close - i - 1);
    if (close == pattern.npos ||
        (name != "client" && name != "day" && !name.starts_with("date:"))) {
      const std::string_view found = pattern.substr(i, close == pattern.npos ? 1 : close - i + 1);
      out.problem = fmt::format(
          "expected {{client}}, {{day}} or {{date:FORMAT}} in the pattern, found {}{}",
          quote_whole(found), did_you_mean(found, {"{client}", "{day}", "{date:%Y%m%d}"}));
      return out;
    }
    out.names.emplace_back(name);
    out.after_literal.push_back(literal);
    literal = false;
    i = close;
  }
  return out;
}

std::string count_problem(const std::vector<std::string>& names, std::string_view pattern) {
  const auto clients = std::count(names.begin(), names.end(), "client");
  const auto keys = static_cast<std::ptrdiff_t>(names.size()) - clients;
  if (clients != 1 || keys != 1)
    return fmt::format(
        "expected a pattern with {{client}} once and {{day}} or {{date:FORMAT}} once, found {}",
        quote_whole(pattern));
  return "";
}

}  // namespace

std::string DropPattern::problem(std::string_view pattern) {
  if (pattern.empty() || pattern.front() == '/')
    return fmt::format("expected a pattern relative to the data dir, found {}",
                       quote_whole(pattern));
  const Placeholders found = placeholders(pattern);
  if (!found.problem.empty()) return found.problem;
  std::string problem = count_problem(found.names, pattern);
  if (!problem.empty()) return problem;
  if (!found.after_literal[1])
    return fmt::format("expected text between {{{}}} and {{{}}} in the pattern, found {}",
                       found.names[0], found.names[1], quote_whole(pattern));
  for (const std::string& name : found.names)
    if (name.starts_with("date:")) return DateFormat::problem(std::string_view(name).substr(5));
  return "";
}

std::optional<DropPattern> DropPattern::compile(std::string_view pattern) {
  if (!problem(pattern).empty()) return std::nullopt;
  DropPattern out;
  out.text_ = std::string(pattern);
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] != '{') {
      const size_t open = std::min(pattern.find('{', i), pattern.size());
      out.segments_.push_back({Part::literal, std::string(pattern.substr(i, open - i))});
      i = open;
      continue;
    }
    const size_t close = pattern.find('}', i);
    const std::string_view name = pattern.substr(i + 1, close - i - 1);
    if (name.starts_with("date:")) out.date_ = DateFormat::compile(name.substr(5));
    out.segments_.push_back({name == "client" ? Part::client : Part::key, ""});
    i = close + 1;
  }
  return out;
}

std::string DropPattern::format(std::string_view client, int64_t key) const {
  std::string out;
  for (const Segment& s : segments_) {
    if (s.part == Part::literal) out += s.literal;
    if (s.part == Part::client) out += client;
    if (s.part == Part::key)
      out += date_ ? date_->format(static_cast<int32_t>(key)) : std::to_string(key);
  }
  return out;
}

// Key characters: digits, and for a date the literal characters of its format ('-' in %Y-%m-%d).
bool DropPattern::match_any_key(size_t segment, std::string_view rest, const Leniency& rules,
                                DropKey& out) const {
  const auto key_char = [this](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) ||
           (date_ && is_literal_of(date_->text(), c));
  };
  size_t run = 0;
  while (run < rest.size() && key_char(rest[run])) ++run;
  for (size_t len = run; len >= 1; --len) {
    if (match_from(segment + 1, rest.substr(len), rules, out)) {
      rules.key_text = rest.substr(0, len);
      return true;
    }
  }
  return false;
}

bool DropPattern::match_key(size_t segment, std::string_view rest, const Leniency& rules,
                            DropKey& out) const {
  if (rules.any_key) return match_any_key(segment, rest, rules, out);
  if (date_) {
    if (rest.size() < date_->width()) return false;
    const std::optional<int32_t> days = date_->parse(rest.substr(0, date_->width()));
    out.key = days.value_or(0);
    return days && match_from(segment + 1, rest.substr(date_->width()), rules, out);
  }
  size_t run = 0;
  while (run < rest.size() && std::isdigit(static_cast<unsigned char>(rest[run]))) ++run;
  if (run == 0 || (rest[0] == '0' && !rules.leading_zeros)) return false;
  for (size_t len = run; len >= 1; --len) {
    const std::string_view digits = rest.substr(0, len);
    const size_t zeros = std::min(digits.find_first_not_of('0'), digits.size());
    if (digits.size() - zeros > kMaxDayDigits || zeros == digits.size()) continue;
    out.key = std::stoll(std::string(digits.substr(zeros)));
    if (match_from(segment + 1, rest.substr(len), rules, out)) return true;
  }
  return false;
}

bool DropPattern::match_from(size_t segment, std::string_view rest, const Leniency& rules,
                             DropKey& out) const {
  if (segment == segments_.size()) return rest.empty();
  const Segment& s = segments_[segment];
  if (s.part == Part::literal) {
    if (!same_text(rest.substr(0, s.literal.size()), s.literal, rules.any_case)) return false;
    return match_from(segment + 1, rest.substr(s.literal.size()), rules, out);
  }
  if (s.part == Part::key) return match_key(segment, rest, rules, out);
  const size_t level = std::min(rest.find('/'), rest.size());
  for (size_t len = level; len >= 1; --len) {
    out.client = std::string(rest.substr(0, len));
    if (match_from(segment + 1, rest.substr(len), rules, out)) return true;
  }
  return false;
}

std::optional<DropKey> DropPattern::match_with(std::string_view path, const Leniency& rules) const {
  DropKey out;
  if (match_from(0, path, rules, out)) return out;
  return std::nullopt;
}

std::optional<DropKey> DropPattern::match(std::string_view relative_path) const {
  return match_with(relative_path, Leniency{});
}

std::optional<std::string> DropPattern::other_extension(std::string_view path) const {
  const std::string_view has = extension_of(path);
  const std::string_view wants = extension_of(text_);
  if (has.empty() || wants.empty() || has == wants) return std::nullopt;
  std::string renamed(path.substr(0, path.size() - has.size()));
  renamed += wants;
  const std::optional<DropKey> k = match_with(renamed, {.leading_zeros = true, .any_case = true});
  if (!k) return std::nullopt;
  return fmt::format("{}: other extension {}; the pattern reads {}", path, has,
                     format(k->client, k->key));
}

// A drop's path with more after it: "transactions_day_5.zip.tmp".
std::optional<std::string> DropPattern::extension_after(std::string_view path) const {
  const size_t name = path.rfind('/') + 1;  // npos + 1 == 0
  for (size_t dot = path.find('.', name); dot != path.npos; dot = path.find('.', dot + 1)) {
    const std::optional<DropKey> k = match(path.substr(0, dot));
    if (!k) continue;
    const std::string_view wants = extension_of(text_);
    return fmt::format("{}: other extension {}; the pattern reads {}", path,
                       path.substr(dot - std::min(wants.size(), dot)), path.substr(0, dot));
  }
  return std::nullopt;
}

// A path that is a drop's but for its key: day 0, a date that is no date.
std::optional<std::string> DropPattern::invalid_key(std::string_view path) const {
  DropKey k;
  const Leniency rules{.any_key = true};
  if (!match_from(0, path, rules, k)) return std::nullopt;
  if (date_) return fmt::format("{}: {} is not a date as {}", path, rules.key_text, date_->text());
  return fmt::format("{}: {} is not a day; days start at 1", path, rules.key_text);
}

std::optional<std::string> DropPattern::why_not(std::string_view relative_path) const {
  if (match(relative_path)) return std::nullopt;
  if (const auto k = match_with(relative_path, {.leading_zeros = true, .any_case = false}))
    return fmt::format("{}: leading zero; the pattern reads {} as {}", relative_path, k->key,
                       format(k->client, k->key));
  if (const auto k = match_with(relative_path, {.leading_zeros = true, .any_case = true}))
    return fmt::format("{}: other case; the pattern reads {}", relative_path,
                       format(k->client, k->key));
  if (std::optional<std::string> why = other_extension(relative_path)) return why;
  if (std::optional<std::string> why = extension_after(relative_path)) return why;
  if (std::optional<std::string> why = invalid_key(relative_path)) return why;
  return fmt::format("{}: does not match the pattern {}", relative_path, text_);
}

std::string DropPattern::key_text(int64_t key) const {
  if (!date_) return std::to_string(key);
  static const std::optional<DateFormat> iso = DateFormat::compile("%Y-%m-%d");
  return iso->format(static_cast<int32_t>(key));
}

std::optional<int64_t> DropPattern::parse_key(std::string_view text) const {
  if (date_) {
    static const std::optional<DateFormat> iso = DateFormat::compile("%Y-%m-%d");
    if (const auto days = iso->parse(text)) return *days;
    if (const auto days = date_->parse(text)) return *days;
    return std::nullopt;
  }
  if (text.empty() || text.size() > kMaxDayDigits || text[0] == '0') return std::nullopt;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  return std::stoll(std::string(text));
}

std::string DropPattern::key_problem(std::string_view text) const {
  if (date_) {
    const std::string own = date_->text() == "%Y-%m-%d" ? "" : " or " + date_->text();
    return fmt::format(
        "expected a date as YYYY-MM-DD{} (the pattern {} is keyed by date), found {}", own, text_,
        quote_found(text));
  }
  return fmt::format("expected an integer >= 1, found {}", quote_found(text));
}

}  // namespace snapdelta
