#include "generate/container.h"

#include <array>
#include <utility>

namespace snapdelta::generate {
namespace {

constexpr std::array<std::pair<Container, std::string_view>, 6> kOptions = {{
    {Container::zip, "zip"},
    {Container::gzip, "gzip"},
    {Container::gzip_append, "gzip-append"},
    {Container::csv, "csv"},
    {Container::zstd, "zstd"},
    {Container::zstd_append, "zstd-append"},
}};

}  // namespace

std::string_view container_option(Container container) {
  for (const auto& [c, name] : kOptions) {
    if (c == container) return name;
  }
  return "zip";
}

std::optional<Container> parse_container(std::string_view option) {
  for (const auto& [c, name] : kOptions) {
    if (name == option) return c;
  }
  return std::nullopt;
}

std::vector<std::string> container_options() {
  std::vector<std::string> out;
  for (const auto& [c, name] : kOptions) out.emplace_back(name);
  return out;
}

std::string_view drop_extension(Container container) {
  switch (container) {
    case Container::zip:
      return "zip";
    case Container::gzip:
    case Container::gzip_append:
      return "csv.gz";
    case Container::csv:
      return "csv";
    case Container::zstd:
    case Container::zstd_append:
      break;
  }
  return "csv.zst";
}

}  // namespace snapdelta::generate
