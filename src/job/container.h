// How a drop is packed, by name ("zip", "gzip", "csv", "zstd") or by the pattern's extension
// (.zip; .csv.gz, .gz; .csv; .csv.zst, .zst). Contract: container_name() writes the name
// container_from_name() reads; container_from_extension() is nullopt for any other ending.
#pragma once

#include <optional>
#include <string_view>

#include "job/job.h"

namespace snapdelta {

std::optional<Container> container_from_name(std::string_view name);
std::optional<Container> container_from_extension(std::string_view path);
std::string_view container_name(Container container);

}  // namespace snapdelta
