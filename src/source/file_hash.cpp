#include "source/file_hash.h"

#include <algorithm>
#include <vector>

#include "source/hash.h"

namespace snapdelta {

uint64_t hash_file_range(const FileReader& file, uint64_t begin, uint64_t end) {
  constexpr uint64_t kPiece = 64 << 10;
  std::vector<uint8_t> buffer(static_cast<size_t>(std::min(kPiece, end - std::min(begin, end))));
  Hasher h;
  for (uint64_t at = begin; at < end;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buffer.size(), end - at));
    file.read_at(at, buffer.data(), n);
    h.update(buffer.data(), n);
    at += n;
  }
  return h.digest();
}

}  // namespace snapdelta
