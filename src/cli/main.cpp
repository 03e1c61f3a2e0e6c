// snapdelta: incremental aggregation of cumulative daily data drops. Subcommands only.
// Every error, a usage error included, is one line on stderr and exit code 2 (cli/usage.h).
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/usage.h"
#include "common/allocator_tuning.h"
#include "common/error.h"

int main(int argc, char** argv) {
  snapdelta::tune_allocator();
  CLI::App app{
      "snapdelta: aggregate cumulative daily ZIP drops into SQLite or PostgreSQL, incrementally"};
  app.set_version_flag("--version", std::string("snapdelta ") + SNAPDELTA_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  snapdelta::cli::register_generate(app, exit_code);
  snapdelta::cli::register_run(app, exit_code);
  snapdelta::cli::register_sync(app, exit_code);
  snapdelta::cli::register_status(app, exit_code);
  snapdelta::cli::register_verify(app, exit_code);
  snapdelta::cli::register_bench(app, exit_code);
  snapdelta::cli::register_init(app, exit_code);
  snapdelta::cli::register_log(app, exit_code);
  snapdelta::cli::register_infer(app, exit_code);
  snapdelta::cli::harden(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return snapdelta::cli::usage_error_exit(app, e,
                                            std::vector<std::string>(argv + 1, argv + argc));
  } catch (const snapdelta::Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "snapdelta: %s\n", e.what());
    return 2;
  }
  return exit_code;
}
