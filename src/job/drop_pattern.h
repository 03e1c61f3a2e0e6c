// Where a client's drops are, under --data-dir: a pattern such as
// "{client}/transactions_day_{day}.zip" or "{client}/billing_{date:%Y%m%d}.csv.gz".
// Contract: a pattern has {client} once (a non-empty name without '/') and once either {day} (an
// integer >= 1 written without leading zeros) or {date:FORMAT} (see DateFormat); '{' and '}'
// appear nowhere else. A drop's key orders the drops: the day, or the date's days since
// 1970-01-01, so a later date sorts later. format() and match() are inverse: match(format(c, k))
// is {c, k}, and match() takes no other spelling (case, zeros, widths are exact). why_not()
// explains, in one line starting with the path, why a path is not a drop (a leading zero, other
// letter case, another extension instead of or after the pattern's, a day that is not >= 1 or a
// date that is not one), or nullopt when it is one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "job/date_format.h"

namespace snapdelta {

struct DropKey {
  std::string client;
  int64_t key = 0;
  bool operator==(const DropKey&) const = default;
};

class DropPattern {
 public:
  // "expected ..., found ..." for a text that is not a pattern; "" for a pattern.
  static std::string problem(std::string_view pattern);
  // The compiled pattern; nullopt exactly when problem(pattern) is not "".
  static std::optional<DropPattern> compile(std::string_view pattern);

  std::string format(std::string_view client, int64_t key) const;
  std::optional<DropKey> match(std::string_view relative_path) const;
  std::optional<std::string> why_not(std::string_view relative_path) const;
  // A key as people read it: the day ("12"), or the date as YYYY-MM-DD ("2026-11-04").
  std::string key_text(int64_t key) const;
  // The key a person names (--day, --through-day): for {day} an integer >= 1; for {date:...} a
  // date as YYYY-MM-DD or in the pattern's own format. "expected ..., found ..." otherwise.
  std::optional<int64_t> parse_key(std::string_view text) const;
  std::string key_problem(std::string_view text) const;
  // True for {date:...}, false for {day}.
  bool keyed_by_date() const { return date_.has_value(); }
  const std::string& text() const { return text_; }

 private:
  enum class Part : uint8_t { literal, client, key };
  struct Segment {
    Part part;
    std::string literal;
  };
  // How strictly match_from() reads a path: why_not() loosens one rule at a time.
  struct Leniency {
    bool leading_zeros = false;
    bool any_case = false;
    bool any_key = false;  // the key may be any run of key characters, valid or not
    mutable std::string_view key_text = {};  // any_key: the key's text in the match found
  };
  bool match_from(size_t segment, std::string_view rest, const Leniency& rules, DropKey& out) const;
  bool match_key(size_t segment, std::string_view rest, const Leniency& rules, DropKey& out) const;
  std::optional<DropKey> match_with(std::string_view path, const Leniency& rules) const;
  bool match_any_key(size_t segment, std::string_view rest, const Leniency& rules,
                     DropKey& out) const;
  std::optional<std::string> other_extension(std::string_view path) const;
  std::optional<std::string> extension_after(std::string_view path) const;
  std::optional<std::string> invalid_key(std::string_view path) const;

  std::string text_;
  std::vector<Segment> segments_;
  std::optional<DateFormat> date_;
};

}  // namespace snapdelta
