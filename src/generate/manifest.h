// The record `generate` keeps of how a data directory's drops were made:
// DATA/snapdelta-generate.json, e.g.
//   {"format":1,"seed":42,"base_rows":1000000,"rows_per_day":100000,"skus":5000,
//    "start_date":"2025-10-01","late_fraction":0.0,"container":"zip","clients":2,"days":10}
// Contract: seed, base_rows, rows_per_day, skus, start_date, late_fraction and container (a
// manifest without it was written for zip drops) decide every drop's bytes (client c's day k
// depends on nothing else), so drops made with equal values of these are the same history; clients
// and days say how many were written (the largest so far). read() returns nullopt when there is no
// manifest and throws snapdelta::Error (one line naming the file) when it cannot be read or is not
// a manifest; write() replaces it atomically.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "generate/generator.h"

namespace snapdelta::generate {

struct Manifest {
  uint64_t seed = 0;
  int64_t base_rows = 0;
  int64_t rows_per_day = 0;
  int64_t skus = 0;
  std::string start_date;
  double late_fraction = 0;
  std::string container = "zip";  // container_option() spelling
  int64_t clients = 0;
  int64_t days = 0;
};

inline constexpr const char* kManifestName = "snapdelta-generate.json";

Manifest manifest_of(const Options& options);
std::string manifest_path(const std::string& data_dir);
std::optional<Manifest> read_manifest(const std::string& data_dir);
void write_manifest(const std::string& data_dir, const Manifest& manifest);
// The options deciding the drops' bytes that differ, as "--seed 8 (was 7)".
std::vector<std::string> history_differences(const Manifest& was, const Manifest& now);

}  // namespace snapdelta::generate
