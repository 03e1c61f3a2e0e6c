// locate_changed_line: when a new drop is not "old history + new rows", find the first line where
// it differs from the file the state consumed, if that file is still there and different from
// this one. Contract: returns the 1-based line number of the first differing line, or nullopt when
// the old file is gone, unreadable, the same path, or no difference lies in its first old_bytes
// bytes. Reads both files (a slow path taken only before a rebuild); never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "source/zip_entry.h"

namespace snapdelta {

std::optional<uint64_t> locate_changed_line(const std::string& old_path, const ZipEntry& new_entry,
                                            uint64_t old_bytes);

}  // namespace snapdelta
