// Streaming a plain file's bytes into a ByteSink: the plain CSV container, which has nothing to
// decode. Contract: stream_file() delivers the bytes [from, to) of `file` (to: its size when
// omitted) in order, read with pread in pieces of kFileStreamPiece bytes through one buffer, so
// memory stays bounded whatever the file's size. It returns the number of bytes delivered; a
// range past the end of the file, or a read error, throws snapdelta::Error naming the path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "source/byte_sink.h"
#include "source/file_reader.h"

namespace snapdelta {

// As fast to read as larger pieces (pread of a cached file), and 16 fresh pages to fault in, not
// 128: a plain CSV's incremental run reads only its tail through this buffer.
inline constexpr size_t kFileStreamPiece = 64 * 1024;

uint64_t stream_file(const FileReader& file, uint64_t from, ByteSink& sink,
                     std::optional<uint64_t> to = std::nullopt);

}  // namespace snapdelta
