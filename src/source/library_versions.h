// The versions of the compression libraries the source layer is built with, for the benchmark's
// conditions. Contract: zlib_library_version() is the header's version, with the runtime's beside
// it when they differ; isal_library_version() is "major.minor.patch".
#pragma once

#include <string>

namespace snapdelta {

std::string zlib_library_version();
std::string isal_library_version();

}  // namespace snapdelta
