// Usage errors through the real binary: for every command, a bad value, an unknown option or
// command, a missing value or required option is ONE line on stderr in the
// `place: expected ..., found ...` form, with a near miss suggested, exit code 2 and nothing on
// stdout; --help and --version still exit 0. The command list a usage error gives is the one
// --help lists (the app's subcommands), so a new command needs no edit here. Also: `cmake
// --install` puts an executable bin/snapdelta under the chosen prefix.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"

namespace fs = std::filesystem;
using namespace snapdelta;
using test::TempDir;

namespace {

struct UsageCase {
  std::vector<std::string> args;
  std::string line;  // the whole stderr line, without its newline
};

std::ostream& operator<<(std::ostream& os, const UsageCase& c) {
  for (const auto& a : c.args) os << a << ' ';
  return os;
}

// Stands for the commands ("generate, run, ... or log") in an expected line.
const std::string kCommands = "@COMMANDS@";

// The command names `snapdelta --help` lists under "Subcommands:", in its order.
std::vector<std::string> help_commands() {
  TempDir dir("usage");
  const test::ProcessResult r = test::run_snapdelta({"--help"}, dir.str());
  std::vector<std::string> names;
  bool in_list = false;
  for (const std::string& line : test::split_lines(r.out)) {
    if (line == "Subcommands:") {
      in_list = true;
    } else if (in_list && line.rfind("  ", 0) == 0 && line.size() > 2 && line[2] != ' ') {
      names.push_back(line.substr(2, line.find(' ', 2) - 2));
    } else if (in_list && line.empty()) {
      break;
    }
  }
  return names;
}

// "a, b or c", as the usage error joins the commands.
std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i)
    out += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + words[i];
  return out;
}

std::string with_commands(std::string line) {
  static const std::string commands = joined(help_commands());
  const size_t at = line.find(kCommands);
  if (at != std::string::npos) line.replace(at, kCommands.size(), commands);
  return line;
}

const std::vector<std::string> kRun = {"run", "--mode", "full", "--client", "c"};

std::vector<std::string> run_with(std::vector<std::string> extra) {
  std::vector<std::string> a = kRun;
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

std::vector<UsageCase> cases() {
  const std::string cmds = "expected a command (" + kCommands + ")";
  return {
      // run
      {run_with({"--day", "0"}), "--day: expected an integer >= 1, found \"0\""},
      {run_with({"--day", "-1"}), "--day: expected an integer >= 1, found \"-1\""},
      {run_with({"--day", "abc"}), "--day: expected an integer >= 1, found \"abc\""},
      {run_with({"--day=0"}), "--day: expected an integer >= 1, found \"0\""},
      {run_with({"--day", "99999999999"}),
       "--day: expected an integer from 1 to 2147483647, found \"99999999999\""},
      {{"run", "--mode", "incremntal", "--client", "c", "--day", "1"},
       "--mode: expected full or incremental, found \"incremntal\" (did you mean "
       "\"incremental\"?)"},
      {{"run", "--mode", "sideways", "--client", "c", "--day", "1"},
       "--mode: expected full or incremental, found \"sideways\""},
      {kRun, "--day: expected a value, found none (snapdelta run requires it)"},
      {{"run", "--moed", "full", "--client", "c", "--day", "1"},
       "snapdelta run: expected one of its options (see snapdelta run --help), found \"--moed\" "
       "(did you mean \"--mode\"?)"},
      {run_with({"--day", "1", "--threads", "-3"}),
       "--threads: expected an integer >= 0, found \"-3\""},
      {run_with({"--day", "1", "--busy-timeout-ms", "-1"}),
       "--busy-timeout-ms: expected an integer >= 0, found \"-1\""},
      {run_with({"--day"}), "--day: expected a value, found none"},
      {run_with({"--day", "1", "extra"}), "snapdelta run: expected an option, found \"extra\""},
      {run_with({"--day", "1", "--day", "2"}),
       "--day: expected at most 1 value, found 2 (the option was given 2 times)"},
      {run_with({"--day", "1", "--on-history-change", "rebuld"}),
       "--on-history-change: expected rebuild or fail, found \"rebuld\" (did you mean "
       "\"rebuild\"?)"},
      {run_with({"--day", "1", "--on-history-change", "ignore"}),
       "--on-history-change: expected rebuild or fail, found \"ignore\""},
      {run_with({"--day", "1", "--on-history-change"}),
       "--on-history-change: expected a value, found none"},
      {run_with({"--day", "1", "--on-history"}),
       "snapdelta run: expected one of its options (see snapdelta run --help), found "
       "\"--on-history\" (did you mean \"--on-history-change\"?)"},
      // the command itself
      {{}, "snapdelta: " + cmds + ", found none (see snapdelta --help)"},
      {{"rnu"}, "snapdelta: " + cmds + ", found \"rnu\" (did you mean \"run\"?)"},
      {{"verfy"}, "snapdelta: " + cmds + ", found \"verfy\" (did you mean \"verify\"?)"},
      {{"--bogus"}, "snapdelta: " + cmds + ", found \"--bogus\""},
      // status and verify
      {{"status", "--jsn"},
       "snapdelta status: expected one of its options (see snapdelta status --help), found "
       "\"--jsn\" (did you mean \"--json\"?)"},
      {{"status", "--db"}, "--db: expected a value, found none"},
      {{"status", "--data-dri", "d"},
       "snapdelta status: expected one of its options (see snapdelta status --help), found "
       "\"--data-dri\" (did you mean \"--data-dir\"?)"},
      {{"status", "--data-dir"}, "--data-dir: expected a value, found none"},
      // log
      {{"log", "--jsn"},
       "snapdelta log: expected one of its options (see snapdelta log --help), found \"--jsn\" "
       "(did you mean \"--json\"?)"},
      {{"log", "--client"}, "--client: expected a value, found none"},
      {{"log", "client_1"}, "snapdelta log: expected an option, found \"client_1\""},
      {{"lgo"}, "snapdelta: " + cmds + ", found \"lgo\" (did you mean \"log\"?)"},
      {{"verify", "--client"}, "--client: expected a value, found none"},
      {{"verify", "--client", "c", "--data-dri", "d"},
       "snapdelta verify: expected one of its options (see snapdelta verify --help), found "
       "\"--data-dri\" (did you mean \"--data-dir\"?)"},
      // generate
      {{"generate", "--clients", "0"},
       "--clients: expected an integer from 1 to 100000, found \"0\""},
      {{"generate", "--days", "-2"}, "--days: expected an integer from 1 to 3000000, found \"-2\""},
      {{"generate", "--base-rows", "many"},
       "--base-rows: expected an integer >= 0, found \"many\""},
      {{"generate", "--skus", "0"}, "--skus: expected an integer from 1 to 10000000, found \"0\""},
      {{"generate", "--start-date", "2025-02-30"},
       "--start-date: expected a date YYYY-MM-DD, found \"2025-02-30\""},
      {{"generate", "--seed", "-1"}, "--seed: expected an integer >= 0, found \"-1\""},
      {{"generate", "--late-fraction", "1.5"},
       "--late-fraction: expected a number from 0 to 1, found \"1.5\""},
      {{"generate", "--threads", "-3"},
       "--threads: expected an integer from 0 to 4096, found \"-3\""},
      {{"generate", "--forse"},
       "snapdelta generate: expected one of its options (see snapdelta generate --help), found "
       "\"--forse\" (did you mean \"--force\"?)"},
      // bench: its own validators, reworded by the shared layer
      {{"bench", "--day", "0"}, "--day: expected an integer from 1 to 100000, found \"0\""},
      {{"bench", "--repeat", "abc"}, "--repeat: expected an integer from 1 to 1000, found \"abc\""},
      {{"bench", "--dya", "3"},
       "snapdelta bench: expected one of its options (see snapdelta bench --help), found "
       "\"--dya\" (did you mean \"--day\"?)"},
  };
}

class Usage : public ::testing::TestWithParam<UsageCase> {
 protected:
  TempDir dir_{"usage"};
};

}  // namespace

TEST_P(Usage, IsOneLineWithExitCode2) {
  const UsageCase& c = GetParam();
  const test::ProcessResult r = test::run_snapdelta(c.args, dir_.str());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, with_commands(c.line) + "\n");
  EXPECT_TRUE(fs::is_empty(dir_.path())) << "a usage error wrote something";
}

INSTANTIATE_TEST_SUITE_P(Cli, Usage, ::testing::ValuesIn(cases()));

// The list the usage errors take from --help holds these commands, in the order registered
// (others may join it).
TEST(CliCommands, HelpListsTheCommands) {
  const std::vector<std::string> expected = {"generate", "run",  "status", "verify",
                                             "bench",    "init", "log"};
  std::vector<std::string> listed;
  for (const std::string& n : help_commands()) {
    if (std::find(expected.begin(), expected.end(), n) != expected.end()) listed.push_back(n);
  }
  EXPECT_EQ(listed, expected);
}

TEST(CliHelp, HelpAndVersionExitZero) {
  TempDir dir("usage");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--help"},
                                               {"--version"},
                                               {"run", "--help"},
                                               {"generate", "-h"},
                                               {"status", "--help"},
                                               {"verify", "--help"},
                                               {"bench", "--help"},
                                               {"log", "--help"},
                                               {"init", "--help"}}) {
    const test::ProcessResult r = test::run_snapdelta(args, dir.str());
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
    EXPECT_FALSE(r.out.empty()) << args[0];
    EXPECT_EQ(r.err, "") << args[0];
  }
  EXPECT_EQ(test::run_snapdelta({"--version"}, dir.str()).out.rfind("snapdelta ", 0), 0u);
}

// The binary under test sits in its build directory; installing that build gives bin/snapdelta.
TEST(CliInstall, CmakeInstallPutsAnExecutableInPrefixBin) {
  const fs::path build = fs::path(SNAPDELTA_BINARY).parent_path();
  if (!fs::exists(build / "cmake_install.cmake")) GTEST_SKIP() << "not a CMake build directory";
  TempDir prefix("install");
  const std::string command = "cmake --install '" + build.string() + "' --prefix '" + prefix.str() +
                              "' > '" + prefix.str() + "/log' 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << test::read_file(prefix / "log");
  const fs::path installed = prefix.path() / "bin" / "snapdelta";
  ASSERT_TRUE(fs::is_regular_file(installed));
  EXPECT_NE(fs::status(installed).permissions() & fs::perms::owner_exec, fs::perms::none);
  EXPECT_EQ(test::read_file(installed.string()), test::read_file(SNAPDELTA_BINARY));
}
