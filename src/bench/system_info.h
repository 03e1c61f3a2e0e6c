// SystemInfo: the "Benchmark conditions" that make a result reproducible and comparable.
// Contract: collect_system_info() never throws; anything it cannot read is reported as "unknown"
// (or 0 for counts), which to_json() writes as null.
// Library versions are those this binary was built against (header macros) and, where the library
// can say so, the one loaded at run time; the `run` children are this same binary.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace snapdelta::bench {

struct SystemInfo {
  std::string cpu_model;
  unsigned logical_cores = 0;  // online CPUs
  unsigned usable_cores = 0;   // CPUs this process may run on (affinity mask)
  uint64_t memory_kb = 0;
  std::string os;  // kernel name and release
  std::string compiler;
  std::string build_type;
  std::string snapdelta_version;
  std::vector<std::pair<std::string, std::string>> libraries;  // name -> version, report order
  std::string date_utc;                                        // ISO 8601, when collected
};

SystemInfo collect_system_info();
nlohmann::ordered_json to_json(const SystemInfo& info);

}  // namespace snapdelta::bench
