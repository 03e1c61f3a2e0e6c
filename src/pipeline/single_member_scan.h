// scan_single_member: the whole-file scan of a gzip drop of one member (a file rewritten each
// day), read as a zip member is: its deflate span (container_entry.h) down the fast path
// (drop_scan.h: ISA-L, zlib alone where it may be at fault), so the run leaves checkpoints near
// the stream's end and the next day can take the checkpoint route; and, as the member reader
// would, the boundary at the file's end, so a next day that appends a member takes the append
// route.
// Contract: nullopt, having read at most the trailer's ISIZE bytes, when the drop is not gzip, when
// its trailer's ISIZE is smaller than its deflate span (a file of several members, whose trailer
// is the last one's; or data that did not compress: either way read member by member) or when the
// span does not read as one member (its stream ends before the trailer, or its size or CRC-32
// differ from the trailer's). The caller then reads it member by member (stream_scan.h), which
// names any fault of the input itself. Otherwise a whole-file scan's result, route left to the
// caller, with Scan::boundary set.
// member_end_boundary(): the boundary at the end of a gzip drop read as one member by `scan`
// (any scan of its deflate span): the CRC-64 of [data_offset, file size) joined from the furthest
// checkpoint's prefix hash (filled in) and the few bytes after it.
#pragma once

#include <optional>

#include "pipeline/drop_scan.h"
#include "pipeline/stream_boundary.h"
#include "source/drop.h"

namespace snapdelta {

std::optional<ScanResult> scan_single_member(const Drop& drop, int threads);

StreamBoundary member_end_boundary(const Drop& drop, const Scan& scan);

}  // namespace snapdelta
