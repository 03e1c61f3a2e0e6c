#include "source/file_stream.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "common/error.h"

namespace snapdelta {

uint64_t stream_file(const FileReader& file, uint64_t from, ByteSink& sink,
                     std::optional<uint64_t> to) {
  const uint64_t end = to.value_or(file.size());
  if (from > end || end > file.size()) {
    fail(file.path(), fmt::format("expected bytes {} to {} of the file, found {} bytes", from, end,
                                  file.size()));
  }
  std::vector<uint8_t> buffer(
      static_cast<size_t>(std::min<uint64_t>(kFileStreamPiece, end - from)));
  for (uint64_t at = from; at < end;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buffer.size(), end - at));
    file.read_at(at, buffer.data(), n);
    sink.write(buffer.data(), n);
    at += n;
  }
  return end - from;
}

}  // namespace snapdelta
