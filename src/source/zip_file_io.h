// ZipFileIo: minizip's file functions (zlib_filefunc64_def) over positional reads in blocks, for
// reading a zip's central directory. minizip reads it a few bytes at a time and seeks before most
// reads; through stdio each of those seeks is a system call and drops the stream's buffer. Here a
// read is served from the block last read, and a miss reads one block (64 KiB aligned, more when
// the request is larger) with one pread: a small drop is read whole, once, and a large one costs
// its tail and the member's local header.
// Contract: zip_file_io() fills functions whose open takes the path (const char*) and opens it
// read-only (nullptr when it cannot, as fopen would); reads stop at the end of the file (short
// count); a read error makes that read return 0 and testerror report it; writing is refused.
// With `opened`, each open also sets *opened to the file it opened, valid until minizip closes
// it, so the caller can read the same open file (one open per drop, not two).
#pragma once

#include <minizip/ioapi.h>

#include "source/file_reader.h"

namespace snapdelta {

zlib_filefunc64_def zip_file_io(const FileReader** opened = nullptr);

}  // namespace snapdelta
