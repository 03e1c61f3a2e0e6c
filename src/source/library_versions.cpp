#include "source/library_versions.h"

#include <fmt/format.h>
#include <isa-l.h>
#include <zlib.h>

namespace snapdelta {

std::string zlib_library_version() {
  std::string v = ZLIB_VERSION;
  if (v != zlibVersion()) v += fmt::format(" (runtime {})", zlibVersion());
  return v;
}

std::string isal_library_version() {
  return fmt::format("{}.{}.{}", ISAL_MAJOR_VERSION, ISAL_MINOR_VERSION, ISAL_PATCH_VERSION);
}

}  // namespace snapdelta
