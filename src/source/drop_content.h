// read_drop_content: a drop's CSV bytes from the start, whatever its container, for the readers
// that need the content itself rather than a scan (naming a changed line, measuring a shrunken
// history). Contract: the drop's container (source/drop.h) decides: a zip's member inflated
// (ISA-L, then zlib), a gzip file's members one after another, a zstd file's frames, a CSV file's
// bytes; all of them go to `sink` in order, each container's checks made as its reader makes them
// (gzip_reader.h, zstd_reader.h, member_inflate.h). A fault throws snapdelta::Error naming the
// file; whatever the sink throws passes through (a sink may stop the read early that way).
#pragma once

#include "source/byte_sink.h"
#include "source/drop.h"

namespace snapdelta {

void read_drop_content(const Drop& drop, ByteSink& sink);

}  // namespace snapdelta
