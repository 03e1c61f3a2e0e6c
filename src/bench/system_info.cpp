#include "bench/system_info.h"

#include <absl/base/config.h>
#include <fmt/core.h>
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <string_view>

#include "source/library_versions.h"
#include "store/sqlite_store.h"

namespace snapdelta::bench {
namespace {

std::string trim(std::string s) {
  const char* ws = " \t\r\n";
  s.erase(0, s.find_first_not_of(ws));
  s.erase(s.find_last_not_of(ws) + 1);
  return s;
}

// The value of the first "key : value" line in a /proc file whose key is one of `keys`.
std::string proc_field(const char* file, std::initializer_list<std::string_view> keys) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = trim(line.substr(0, colon));
    for (auto k : keys) {
      if (key == k) return trim(line.substr(colon + 1));
    }
  }
  return "";
}

std::string compiler_name() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("GCC ") + __VERSION__;
#else
  return __VERSION__;
#endif
}

std::string dotted(unsigned number, unsigned base) {
  return fmt::format("{}.{}.{}", number / (base * base), number / base % base, number % base);
}

}  // namespace

SystemInfo collect_system_info() {
  SystemInfo info;
  info.cpu_model = proc_field("/proc/cpuinfo", {"model name", "Model", "Hardware", "cpu model"});
  if (info.cpu_model.empty()) info.cpu_model = "unknown";
  const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  info.logical_cores = online > 0 ? static_cast<unsigned>(online) : 0;
  cpu_set_t set;
  CPU_ZERO(&set);
  info.usable_cores = ::sched_getaffinity(0, sizeof set, &set) == 0
                          ? static_cast<unsigned>(CPU_COUNT(&set))
                          : info.logical_cores;
  const std::string mem = proc_field("/proc/meminfo", {"MemTotal"});
  info.memory_kb = mem.empty() ? 0 : std::strtoull(mem.c_str(), nullptr, 10);
  utsname u{};
  info.os = ::uname(&u) == 0 ? fmt::format("{} {} {}", u.sysname, u.release, u.machine) : "unknown";
  info.compiler = compiler_name();
#ifdef SNAPDELTA_BUILD_TYPE
  info.build_type = SNAPDELTA_BUILD_TYPE;
#else
  info.build_type = "unknown";
#endif
#ifdef SNAPDELTA_VERSION
  info.snapdelta_version = SNAPDELTA_VERSION;
#else
  info.snapdelta_version = "unknown";
#endif

  info.libraries = {
      {"zlib", zlib_library_version()},
      {"SQLite", SqliteStore::library_version()},
      {"ISA-L", isal_library_version()},
      {"fmt", dotted(FMT_VERSION, 100)},
      {"abseil", fmt::format("LTS {}.{}", ABSL_LTS_RELEASE_VERSION, ABSL_LTS_RELEASE_PATCH_LEVEL)},
      {"nlohmann_json", fmt::format("{}.{}.{}", NLOHMANN_JSON_VERSION_MAJOR,
                                    NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH)},
  };

  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
  info.date_utc = date;
  return info;
}

nlohmann::ordered_json to_json(const SystemInfo& info) {
  using Json = nlohmann::ordered_json;
  Json libs = Json::object();
  for (const auto& [name, version] : info.libraries) libs[name] = version;
  // What could not be read is null, not "unknown" or 0.
  auto text = [](const std::string& s) { return s == "unknown" ? Json(nullptr) : Json(s); };
  auto count = [](uint64_t n) { return n > 0 ? Json(n) : Json(nullptr); };
  return {{"cpu_model", text(info.cpu_model)},
          {"logical_cores", count(info.logical_cores)},
          {"usable_cores", count(info.usable_cores)},
          {"memory_kb", count(info.memory_kb)},
          {"os", text(info.os)},
          {"compiler", info.compiler},
          {"build_type", text(info.build_type)},
          {"snapdelta_version", text(info.snapdelta_version)},
          {"libraries", libs},
          {"date", info.date_utc}};
}

}  // namespace snapdelta::bench
