// `snapdelta infer DROP`: prints a job file for a drop (job/infer.h) from the head of its CSV,
// whatever its container, ready to edit and run; when the proposed pattern does not match the
// drop itself, a warning line on stderr too. Argument parsing and printing only.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "job/infer.h"
#include "source/drop_head.h"

namespace snapdelta::cli {
namespace {

// The head read: enough for a header and the first few thousand rows of any feed's width.
constexpr size_t kInferHeadBytes = 1 << 20;

}  // namespace

void register_infer(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "infer", "Print a job file (snapdelta.toml) for a drop: its columns, their types, a table");
  auto drop = std::make_shared<std::string>();
  cmd->add_option("DROP", *drop, "A drop: .zip, .csv.gz, .csv or .csv.zst")->required();
  cmd->callback([drop, &exit_code] {
    const std::string toml = infer_job(read_drop_head(*drop, kInferHeadBytes), *drop);
    std::fputs(toml.c_str(), stdout);
    const std::string mismatch = pattern_mismatch(*drop);
    if (!mismatch.empty())
      std::fprintf(stderr, "%s: warning: %s; rename the drops or edit the pattern\n", drop->c_str(),
                   mismatch.c_str());
    exit_code = 0;
  });
}

}  // namespace snapdelta::cli
