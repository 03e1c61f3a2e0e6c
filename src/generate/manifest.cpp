#include "generate/manifest.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"

namespace snapdelta::generate {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

constexpr int kFormat = 1;

template <class T>
void note(std::vector<std::string>& out, const char* option, const T& was, const T& now) {
  if (!(was == now)) out.push_back(fmt::format("{} {} (was {})", option, now, was));
}

}  // namespace

Manifest manifest_of(const Options& o) {
  return Manifest{o.seed,
                  o.base_rows,
                  o.rows_per_day,
                  o.skus,
                  o.start_date,
                  o.late_fraction,
                  std::string(container_option(o.container)),
                  o.clients,
                  o.days};
}

std::string manifest_path(const std::string& data_dir) {
  return (fs::path(data_dir) / kManifestName).string();
}

std::optional<Manifest> read_manifest(const std::string& data_dir) {
  const std::string path = manifest_path(data_dir);
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) fail(path, "cannot read the file");
  try {
    const json j = json::parse(text.str());
    if (j.at("format").get<int>() != kFormat) {
      fail(path,
           fmt::format("expected manifest format {}, found {}", kFormat, j.at("format").dump()));
    }
    return Manifest{j.at("seed").get<uint64_t>(),
                    j.at("base_rows").get<int64_t>(),
                    j.at("rows_per_day").get<int64_t>(),
                    j.at("skus").get<int64_t>(),
                    j.at("start_date").get<std::string>(),
                    j.at("late_fraction").get<double>(),
                    j.value("container", std::string("zip")),
                    j.at("clients").get<int64_t>(),
                    j.at("days").get<int64_t>()};
  } catch (const json::exception& e) {
    fail(path, fmt::format("expected a snapdelta generate manifest, found JSON it cannot use ({})",
                           e.what()));
  }
}

void write_manifest(const std::string& data_dir, const Manifest& m) {
  const json j = {{"format", kFormat},
                  {"seed", m.seed},
                  {"base_rows", m.base_rows},
                  {"rows_per_day", m.rows_per_day},
                  {"skus", m.skus},
                  {"start_date", m.start_date},
                  {"late_fraction", m.late_fraction},
                  {"container", m.container},
                  {"clients", m.clients},
                  {"days", m.days}};
  const std::string path = manifest_path(data_dir);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << j.dump() << '\n';
    if (!out.flush()) fail(tmp, "cannot write the manifest");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) fail(path, "cannot replace the manifest: " + ec.message());
}

std::vector<std::string> history_differences(const Manifest& was, const Manifest& now) {
  std::vector<std::string> out;
  note(out, "--seed", was.seed, now.seed);
  note(out, "--base-rows", was.base_rows, now.base_rows);
  note(out, "--rows-per-day", was.rows_per_day, now.rows_per_day);
  note(out, "--skus", was.skus, now.skus);
  note(out, "--start-date", was.start_date, now.start_date);
  note(out, "--late-fraction", was.late_fraction, now.late_fraction);
  note(out, "--container", was.container, now.container);
  return out;
}

}  // namespace snapdelta::generate
