// The checkpoint-window codec: a checkpoint's 32 KiB deflate window, packed for storage.
// Contract: pack_window() returns a zlib stream (RFC 1950) of the window, written by ISA-L at
// level 1 (~3x faster than zlib's own level 1 and as small; CSV text shrinks about 4x, which keeps
// the per-run state write small); unpack_window() inflates one with zlib and returns false, never
// throws, for a blob that is not such a stream or holds more than a window.
#pragma once

#include <string>

namespace snapdelta {

std::string pack_window(const std::string& window);
bool unpack_window(const std::string& blob, std::string& window);

}  // namespace snapdelta
