// One client's whole history of cumulative daily drops: rows are generated once, in chunks, and
// fed to one DropWriter (drop_writer.h) of the spec's container; at the end of each day it writes
// `dir/transactions_day_<k>.<extension>` (container.h; a zip's entry is
// `transactions_day_<k>.csv`).
// Contract: the output depends only on the spec (never on threads or timing): day k's CSV is the
// header, day 1's base_rows rows, then rows_per_day rows per later day, so it starts byte for byte
// with day k-1's, whatever the container; a zip's or gzip's deflate data shares all but the last
// block or so with day k-1's. Ids run
// 1, 2, ... per client. On day k >= 2, round(late_fraction * n) of the n new rows, chosen
// uniformly, are dated 1..min(3, k-1) days earlier. Throws snapdelta::Error on I/O failure.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "generate/container.h"
#include "generate/sku_popularity.h"

namespace snapdelta::generate {

struct ClientSpec {
  std::filesystem::path dir;
  uint64_t client = 1;  // 1-based; selects the client's random stream
  uint64_t seed = 42;
  uint32_t days = 10;
  uint32_t from_day = 1;  // files of earlier days are not written (their rows still are, later)
  uint64_t base_rows = 0;
  uint64_t rows_per_day = 0;
  int32_t start_date = 0;  // days since 1970-01-01
  double late_fraction = 0;
  const SkuPopularity* skus = nullptr;
  Container container = Container::zip;
};

struct ClientResult {
  uint64_t rows = 0;  // distinct rows generated (= rows in the last day's CSV)
  uint64_t files = 0;
  uint64_t bytes = 0;  // bytes of all the files written
};

// Called after every chunk with the day being generated and the client's rows so far.
using ClientProgress = std::function<void(uint32_t day, uint64_t rows_done)>;

std::string day_file_name(uint32_t day, std::string_view extension);

// Generates and writes every day's file. Stops early (returning what was done) once `cancel`
// becomes true.
ClientResult generate_client(const ClientSpec& spec, const ClientProgress& progress,
                             const std::atomic<bool>& cancel);

}  // namespace snapdelta::generate
