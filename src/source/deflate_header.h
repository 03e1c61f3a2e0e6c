// deflate_header_end: where a deflate block's header ends (RFC 1951, 3.2.3-3.2.7), read from the
// compressed bytes alone. The boundary search (isal_boundary_search.h) feeds ISA-L a block's
// header in one step that ends there, so a new block's code tables are taken in without the
// search mistaking them for yet another block.
// Contract: `data` holds the compressed bytes from the byte that contains bit `start_bit` (bit 0
// is the low bit of data[0]) on; the result is the bit just after the header: after BTYPE for a
// fixed-table block, after LEN and NLEN for a stored block, after the last code length for a
// dynamic block. nullopt when the bytes end first or the header is not a valid one (the caller
// then steps as if it knew nothing). Never reads past data + size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace snapdelta {

// The most bytes a header can span (a dynamic header is at most 2,286 bits), plus its first byte's
// unused bits.
inline constexpr size_t kMaxDeflateHeaderBytes = 288;

std::optional<uint64_t> deflate_header_end(const uint8_t* data, size_t size, uint64_t start_bit);

}  // namespace snapdelta
