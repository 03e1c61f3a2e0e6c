// `snapdelta generate`: synthetic cumulative daily drops for benchmarks and tests.
// Writes DATA/client_<c>/transactions_day_<k>.<extension> for c = 1..clients, k = from_day..days,
// in the chosen container (container.h: .zip by default); see client_history.h for what each file
// holds and sku_popularity.h for the SKU distribution.
// Contract: validate() throws snapdelta::Error with one line naming the bad option; run()
// validates, generates clients in parallel (one client per thread) and returns totals. The same
// options give byte-identical files whatever `threads` is. A progress bar is drawn on stderr only
// when it is a terminal; run() never writes to stdout. run() never rewrites history: over drops
// made with other options it refuses unless `overwrite` is force, and over the same drops it
// writes nothing (existing_drops.h); a successful run records its options in the data
// directory's manifest (manifest.h).
#pragma once

#include <cstdint>
#include <string>

#include "generate/container.h"

namespace snapdelta::generate {

enum class Overwrite { refuse, force };

struct Options {
  std::string data_dir = "data";
  int64_t clients = 2;
  int64_t days = 10;
  int64_t base_rows = 1000000;
  int64_t rows_per_day = 100000;
  int64_t skus = 5000;
  std::string start_date = "2025-10-01";
  uint64_t seed = 42;
  double late_fraction = 0;
  int64_t threads = 0;  // 0: one per hardware core
  // Days before this one are generated (their rows are in every later drop) but their files are
  // not written: a cumulative drop does not need them. 1: every day's file.
  int64_t from_day = 1;
  Overwrite overwrite = Overwrite::refuse;
  Container container = Container::zip;
};

struct Summary {
  uint64_t rows = 0;       // distinct rows generated, all clients (each client's last-day CSV)
  uint64_t files = 0;      // drop files written
  uint64_t bytes = 0;      // bytes of the drop files written
  double seconds = 0;      // wall-clock time
  bool unchanged = false;  // the drops were already there, made with the same options
};

void validate(const Options& options);
Summary run(const Options& options);
// "generated 3800000 rows (2 clients x 10 days) in 20 files, 123456789 bytes, 7.31 s", or
// "data already holds these drops (1 client x 1 day, same options): nothing written"
std::string describe(const Options& options, const Summary& summary);

}  // namespace snapdelta::generate
