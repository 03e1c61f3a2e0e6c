// read_drop_head: the first bytes of a drop's CSV, whatever its container, for `snapdelta infer`.
// Contract: the container is told from the file's own bytes (container_sniff.h): a ZIP's one
// member (zip_entry.h), a gzip file's members, a zstd file's frames, or plain text. Returns at most
// `max_bytes` uncompressed bytes from the start (fewer for a shorter file); only as much of the
// file is read and inflated as that takes. A file that cannot be read, or whose container is
// corrupt before `max_bytes` were reached, throws snapdelta::Error naming it; binary data that
// is none of these containers is refused the same way.
#pragma once

#include <cstddef>
#include <string>

namespace snapdelta {

std::string read_drop_head(const std::string& path, size_t max_bytes);

}  // namespace snapdelta
