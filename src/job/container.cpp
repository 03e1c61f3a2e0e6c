#include "job/container.h"

#include <array>
#include <utility>

namespace snapdelta {
namespace {

constexpr std::array<std::pair<std::string_view, Container>, 4> kNames = {{
    {"zip", Container::zip},
    {"gzip", Container::gzip},
    {"csv", Container::csv},
    {"zstd", Container::zstd},
}};

constexpr std::array<std::pair<std::string_view, Container>, 4> kExtensions = {{
    {".zip", Container::zip},
    {".gz", Container::gzip},
    {".csv", Container::csv},
    {".zst", Container::zstd},
}};

}  // namespace

std::optional<Container> container_from_name(std::string_view name) {
  for (const auto& [n, c] : kNames)
    if (n == name) return c;
  return std::nullopt;
}

std::optional<Container> container_from_extension(std::string_view path) {
  for (const auto& [ext, c] : kExtensions)
    if (path.ends_with(ext)) return c;
  return std::nullopt;
}

std::string_view container_name(Container container) {
  for (const auto& [n, c] : kNames)
    if (c == container) return n;
  return "zip";
}

}  // namespace snapdelta
