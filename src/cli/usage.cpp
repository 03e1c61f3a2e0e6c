#include "cli/usage.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <regex>

#include "cli/near_miss.h"
#include "common/date.h"
#include "common/error.h"

namespace snapdelta::cli {
namespace {

bool is_type_limit(uint64_t high) {
  return high == static_cast<uint64_t>(std::numeric_limits<int32_t>::max()) ||
         high == std::numeric_limits<uint32_t>::max() ||
         high == static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ||
         high == std::numeric_limits<uint64_t>::max();
}

// Parses a whole decimal integer; nullopt when `text` is not one. `negative` tells the sign.
std::optional<uint64_t> parse_integer(const std::string& text, bool& negative) {
  negative = !text.empty() && text[0] == '-';
  const char* begin = text.data() + (negative ? 1 : 0);
  const char* end = text.data() + text.size();
  uint64_t magnitude = 0;
  const auto [ptr, ec] = std::from_chars(begin, end, magnitude);
  if (begin == end || ec != std::errc() || ptr != end) return std::nullopt;
  return magnitude;
}

bool integer_within(const std::string& text, int64_t low, uint64_t high, bool& is_integer) {
  bool negative = false;
  const std::optional<uint64_t> m = parse_integer(text, negative);
  is_integer = m.has_value() && (!negative || *m <= uint64_t{1} << 63);
  if (!is_integer) return false;
  if (negative) return low < 0 && *m <= static_cast<uint64_t>(-(low + 1)) + 1;
  return *m <= high && (low <= 0 || *m >= static_cast<uint64_t>(low));
}

std::string join_choices(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

std::vector<std::string> command_names(CLI::App& app) {
  std::vector<std::string> names;
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

std::vector<std::string> option_names(CLI::App& cmd) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : cmd.get_options()) {
    for (const std::string& l : opt->get_lnames()) names.push_back("--" + l);
    for (const std::string& s : opt->get_snames()) names.push_back("-" + s);
  }
  return names;
}

// "-x" or "--x", but not a negative number (a value, as CLI11 takes it too).
bool looks_like_option(const std::string& arg) {
  if (arg.size() < 2 || arg[0] != '-') return false;
  char* end = nullptr;
  std::strtod(arg.c_str(), &end);
  return *end != '\0';
}

std::string command_place(CLI::App& cmd) {
  return cmd.get_parent() ? "snapdelta " + cmd.get_name() : "snapdelta";
}

// The first problem in the command's arguments that CLI11 may report late or vaguely.
std::optional<std::string> scan_options(CLI::App& cmd, const std::vector<std::string>& args,
                                        size_t from) {
  for (size_t i = from; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;
    if (!looks_like_option(arg)) {
      return fmt::format("{}: expected an option, found {}", command_place(cmd), quote_found(arg));
    }
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    CLI::Option* opt = cmd.get_option_no_throw(name);
    if (opt == nullptr) {
      return fmt::format("{}: expected one of its options (see {} --help), found {}{}",
                         command_place(cmd), command_place(cmd), quote_found(name),
                         did_you_mean(name, option_names(cmd)));
    }
    if (opt->get_expected_max() == 0 || eq != std::string::npos) continue;
    if (i + 1 == args.size() || looks_like_option(args[i + 1]))
      return fmt::format("{}: expected a value, found none", name);
    ++i;
  }
  return std::nullopt;
}

std::optional<std::string> scan(CLI::App& app, const std::vector<std::string>& args) {
  const std::vector<std::string> commands = command_names(app);
  const std::string expected = "expected a command (" + join_choices(commands) + ")";
  if (args.empty()) return "snapdelta: " + expected + ", found none (see snapdelta --help)";
  std::vector<CLI::App*> cmd =
      app.get_subcommands([&](CLI::App* s) { return s->check_name(args[0]); });
  if (cmd.empty()) {
    std::vector<std::string> words = commands;
    for (const std::string& o : option_names(app)) words.push_back(o);
    return fmt::format("snapdelta: {}, found {}{}", expected, quote_found(args[0]),
                       did_you_mean(args[0], words));
  }
  return scan_options(*cmd.front(), args, 1);
}

CLI::App* chosen_command(CLI::App& app, const std::vector<std::string>& args) {
  if (args.empty()) return nullptr;
  std::vector<CLI::App*> cmd =
      app.get_subcommands([&](CLI::App* s) { return s->check_name(args[0]); });
  return cmd.empty() ? nullptr : cmd.front();
}

std::string kind_of(CLI::App* cmd, const std::string& option) {
  const CLI::Option* opt = cmd ? cmd->get_option_no_throw(option) : nullptr;
  const std::string type = opt ? opt->get_type_name() : "";
  return type.rfind("INT", 0) == 0 || type.rfind("UINT", 0) == 0 ? "an integer" : "a number";
}

std::string trim_number(std::string n) {
  if (n.find('.') == std::string::npos) return n;
  while (!n.empty() && n.back() == '0') n.pop_back();
  if (!n.empty() && n.back() == '.') n.pop_back();
  return n;
}

// CLI11's own validator and conversion messages, in the `expected ..., found ...` form.
std::string reword(CLI::App* cmd, const std::string& message) {
  static const std::regex range("^(\\S+): Value (.*) not in range (\\S+) to (\\S+)$");
  static const std::regex convert("^Could not convert: (\\S+) = (.*)$");
  static const std::regex not_allowed("^The value (.*) is not an allowed value for (\\S+)$");
  static const std::regex repeated("^(\\S+): At Most (\\d+) required but received (\\d+)$");
  std::smatch m;
  if (std::regex_match(message, m, repeated)) {
    return fmt::format("{}: expected at most {} value, found {} (the option was given {} times)",
                       m[1].str(), m[2].str(), m[3].str(), m[3].str());
  }
  if (std::regex_match(message, m, range)) {
    const std::string high = trim_number(m[4].str());
    const std::string bound = high.size() > 18 ? ">= " + trim_number(m[3].str())
                                               : "from " + trim_number(m[3].str()) + " to " + high;
    return fmt::format("{}: expected {} {}, found {}", m[1].str(), kind_of(cmd, m[1].str()), bound,
                       quote_found(m[2].str()));
  }
  if (std::regex_match(message, m, convert)) {
    return fmt::format("{}: expected {} it can hold, found {}", m[1].str(),
                       kind_of(cmd, m[1].str()), quote_found(m[2].str()));
  }
  if (std::regex_match(message, m, not_allowed)) {
    return fmt::format("{}: expected {} it can hold, found {}", m[2].str(),
                       kind_of(cmd, m[2].str()), quote_found(m[1].str()));
  }
  return message;
}

std::string required_missing(CLI::App* cmd, const std::string& message) {
  if (cmd == nullptr) return message;
  for (const CLI::Option* opt : cmd->get_options()) {
    if (opt->get_required() && opt->count() == 0) {
      return fmt::format("{}: expected a value, found none ({} requires it)", opt->get_name(),
                         command_place(*cmd));
    }
  }
  return message;
}

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string describe(CLI::App& app, const CLI::ParseError& e,
                     const std::vector<std::string>& args) {
  if (std::optional<std::string> found = scan(app, args)) return *found;
  CLI::App* cmd = chosen_command(app, args);
  if (dynamic_cast<const CLI::RequiredError*>(&e)) return required_missing(cmd, e.what());
  const std::string words = reword(cmd, e.what());
  if (words.rfind("--", 0) == 0 || words.rfind("snapdelta", 0) == 0) return words;
  return (cmd ? command_place(*cmd) : "snapdelta") + ": " + words;
}

}  // namespace

CLI::Validator integer_in(int64_t low, uint64_t high) {
  const std::string what = is_type_limit(high) ? fmt::format("an integer >= {}", low)
                                               : fmt::format("an integer from {} to {}", low, high);
  const std::string full = fmt::format("an integer from {} to {}", low, high);
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        bool is_integer = false;
        if (integer_within(text, low, high, is_integer)) return "";
        bool negative = false;
        const std::optional<uint64_t> m = parse_integer(text, negative);
        const bool too_big = is_integer && !negative && *m > high;
        return fmt::format("expected {}, found {}", too_big ? full : what, quote_found(text));
      },
      is_type_limit(high) ? (low == 0   ? std::string("NONNEGATIVE")
                             : low == 1 ? std::string("POSITIVE")
                                        : fmt::format("AT LEAST {}", low))
                          : fmt::format("in [{} - {}]", low, high));
}

CLI::Validator number_in(double low, double high) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (!text.empty() && *end == '\0' && std::isfinite(v) && v >= low && v <= high) return "";
        const std::string what = std::isfinite(low) || std::isfinite(high)
                                     ? fmt::format("a number from {} to {}", low, high)
                                     : "a number";
        return fmt::format("expected {}, found {}", what, quote_found(text));
      },
      fmt::format("in [{} - {}]", low, high));
}

CLI::Validator one_of(std::vector<std::string> words) {
  const std::string desc = "{" + fmt::format("{}", fmt::join(words, ",")) + "}";
  return CLI::Validator(
      [words](std::string& text) -> std::string {
        for (const std::string& w : words)
          if (text == w) return "";
        return fmt::format("expected {}, found {}{}", join_choices(words), quote_found(text),
                           did_you_mean(text, words));
      },
      desc);
}

CLI::Validator calendar_date() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        int32_t days = 0;
        if (parse_date(text, &days)) return "";
        return "expected a date YYYY-MM-DD, found " + quote_found(text);
      },
      "YYYY-MM-DD");
}

void harden(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) harden(*sub);
  for (CLI::Option* opt : app.get_options()) {
    if (opt->get_expected_max() == 0) continue;  // a flag
    const std::string name = opt->get_type_name();
    const std::string type = name.substr(0, name.find(':'));
    CLI::Validator check;
    if (type == "INT") {
      check = integer_in(std::numeric_limits<int64_t>::min(),
                         static_cast<uint64_t>(std::numeric_limits<int64_t>::max()));
    } else if (type == "UINT") {
      check = integer_in(0, std::numeric_limits<uint64_t>::max());
    } else if (type == "FLOAT") {
      check = number_in(-HUGE_VAL, HUGE_VAL);
    } else {
      continue;
    }
    opt->check(check.description(""));
  }
}

int usage_error_exit(CLI::App& app, const CLI::ParseError& error,
                     const std::vector<std::string>& args) {
  if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(error);
  std::fprintf(stderr, "%s\n", one_line(describe(app, error, args)).c_str());
  return 2;
}

}  // namespace snapdelta::cli
