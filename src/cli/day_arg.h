// --day and --through-day: a drop's key as the pattern names it.
// Contract: parse_day() returns the key `text` names under `pattern` (DropPattern::parse_key:
// an integer >= 1 for {day}, a date for {date:...}), or throws snapdelta::Error, one line,
// `<option>: expected ..., found "<text>"`.
#pragma once

#include <string>

#include "job/drop_pattern.h"

namespace snapdelta::cli {

int parse_day(const std::string& option, const std::string& text, const DropPattern& pattern);

}  // namespace snapdelta::cli
