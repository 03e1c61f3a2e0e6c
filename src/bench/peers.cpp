#include "bench/peers.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "bench/child_runner.h"
#include "common/error.h"

namespace snapdelta::bench {
namespace fs = std::filesystem;
namespace {

bool has_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

// npm prints many "npm error ..." lines; keep its code and its first real message.
std::string npm_failure(const ChildResult& r) {
  std::string code, message;
  size_t pos = 0;
  while (pos < r.err.size()) {
    size_t end = r.err.find('\n', pos);
    if (end == std::string::npos) end = r.err.size();
    std::string line = r.err.substr(pos, end - pos);
    pos = end + 1;
    constexpr std::string_view prefix = "npm error ";
    if (line.rfind(prefix, 0) != 0) continue;
    line.erase(0, prefix.size());
    if (line.rfind("code ", 0) == 0) {
      if (code.empty()) code = line.substr(5);
    } else if (message.empty() && !line.empty() && line[0] != ' ' && line[0] != '{' &&
               line.rfind("syscall ", 0) != 0 && line.rfind("errno ", 0) != 0 &&
               line.rfind("A complete log", 0) != 0) {
      message = line;
    }
  }
  if (message.empty()) return r.failure();
  return code.empty() ? message : code + ": " + message;
}

// The number under `key`, or nullopt when the script reported null or nothing.
template <typename T>
std::optional<T> number_field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<T>();
}

}  // namespace

const std::vector<std::string>& PeerHarness::engines() {
  static const std::vector<std::string> names = {"polars", "duckdb"};
  return names;
}

const std::vector<std::string>& PeerHarness::modes() {
  static const std::vector<std::string> names = {"full", "incremental", "startup"};
  return names;
}

PeerHarness::PeerHarness(std::string peers_dir) : dir_(std::move(peers_dir)) {}

std::string PeerHarness::prepare() {
  if (dir_.empty()) {
    return "peers skipped: no peers/ directory with package.json here or near the executable "
           "(use --peers-dir)";
  }
  node_ = find_on_path("node");
  if (node_.empty()) return "peers skipped: node is not installed (Polars and DuckDB run on node)";
  ChildResult version = run_child({node_, "--version"});
  node_version_ = version.ok() ? first_line(version.out) : "unknown";

  if (!fs::is_directory(fs::path(dir_) / "node_modules")) {
    const std::string npm = find_on_path("npm");
    if (npm.empty()) return "peers skipped: npm is not installed and peers/node_modules is missing";
    // Prefer npm's cache (enough offline once it holds the packages) and keep network retries
    // short: offline, npm would otherwise retry for minutes.
    ChildResult install = run_child(
        {npm, "ci", "--no-audit", "--no-fund", "--prefer-offline", "--fetch-retries=1",
         "--fetch-retry-mintimeout=1000", "--fetch-retry-maxtimeout=2000", "--fetch-timeout=30000"},
        ChildOptions{dir_});
    if (!install.ok()) {
      std::error_code ec;
      fs::remove_all(fs::path(dir_) / "node_modules", ec);
      return "peers skipped: `npm ci` in " + dir_ + " failed (offline?): " + npm_failure(install);
    }
  }
  for (const auto& engine : engines()) {
    if (!has_file(fs::path(dir_) / (engine + "-job.mjs"))) {
      return "peers skipped: " + dir_ + "/" + engine + "-job.mjs is missing";
    }
  }
  return "";
}

PeerRun PeerHarness::run(const std::string& engine, const std::string& mode, const std::string& zip,
                         const std::string& after_date, const std::string& scratch) const {
  std::vector<std::string> argv = {node_,    (fs::path(dir_) / (engine + "-job.mjs")).string(),
                                   "--zip",  fs::absolute(zip).string(),
                                   "--mode", mode,
                                   "--tmp",  fs::absolute(scratch).string()};
  if (mode == "incremental") {
    argv.push_back("--after");
    argv.push_back(after_date);
  }
  ChildResult child = run_child(argv);
  const std::string command = render_command(argv);
  if (!child.ok()) fail(command, "expected success, found " + child.failure());
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(child.out);
  } catch (const nlohmann::json::exception&) {
    fail(command, "expected one JSON object on stdout, found " + quote_found(child.out));
  }
  PeerRun r;
  r.engine = engine;
  r.mode = mode;
  r.version = j.value("version", "unknown");
  r.wall_ms = child.wall_ms;
  r.cpu_ms = child.cpu_ms;
  r.peak_rss_kb = child.peak_rss_kb;
  if (mode == "startup") return r;  // no work: nothing of the job was measured
  r.in_process_ms = number_field<double>(j, "total_ms");
  r.rows_read = number_field<uint64_t>(j, "rows_read");
  r.rows_used = number_field<uint64_t>(j, "rows_used");
  r.groups = number_field<uint64_t>(j, "groups");
  r.total_quantity = number_field<int64_t>(j, "total_quantity");
  return r;
}

std::string find_peers_dir(const std::string& explicit_dir, const std::string& executable) {
  if (!explicit_dir.empty()) {
    return has_file(fs::path(explicit_dir) / "package.json") ? explicit_dir : "";
  }
  std::vector<fs::path> candidates = {fs::current_path() / "peers"};
  const fs::path exe_dir = fs::path(executable).parent_path();
  for (fs::path dir = exe_dir; !dir.empty(); dir = dir.parent_path()) {
    candidates.push_back(dir / "peers");
    if (dir == dir.root_path() || candidates.size() > 6) break;
  }
  for (const auto& c : candidates) {
    if (has_file(c / "package.json") && has_file(c / "polars-job.mjs")) return c.string();
  }
  return "";
}

}  // namespace snapdelta::bench
