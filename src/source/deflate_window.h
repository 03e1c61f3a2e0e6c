// kDeflateWindow: the deflate window (RFC 1951), 32 KiB. A match reaches at most this far back, so
// it is the most uncompressed data before a block boundary that resuming an inflate there needs.
#pragma once

#include <cstddef>

namespace snapdelta {

inline constexpr size_t kDeflateWindow = 32 << 10;

}  // namespace snapdelta
