#include "pipeline/single_member_scan.h"

#include <algorithm>

#include "common/error.h"
#include "common/stopwatch.h"
#include "source/file_hash.h"
#include "source/hash_combine.h"

namespace snapdelta {

StreamBoundary member_end_boundary(const Drop& drop, const Scan& scan) {
  const ZipEntry& entry = drop.entry();
  const uint64_t size = drop.file().size();
  uint64_t from = 0, hash = 0;
  for (const Checkpoint& c : scan.checkpoints) {
    if (c.prefix_end() > from) {
      from = c.prefix_end();
      hash = c.compressed_hash;
    }
  }
  const uint64_t begin = entry.data_offset + from;
  const uint64_t rest = hash_file_range(drop.file(), begin, size);
  return StreamBoundary{size, scan.state.bytes, 1, hash64_combine(hash, rest, size - begin)};
}

std::optional<ScanResult> scan_single_member(const Drop& drop, int threads) {
  const ZipEntry& entry = drop.entry();
  if (drop.container() != Container::gzip || entry.uncompressed_size < entry.compressed_size) {
    return std::nullopt;
  }
  const ClientState nothing;
  const ScanRequest request{drop, nothing, nullptr, threads};
  ScanResult r;
  try {
    r = scan_fast(request);
    if (r.verdict == Verdict::fast_path_failed) r = scan_zlib(request);
  } catch (const Error&) {
    return std::nullopt;  // not one member, or a fault the member reader will name
  }
  const auto t = Clock::now();
  r.scan.boundary = member_end_boundary(drop, r.scan);
  r.phases.add(Phase::read_decompress, ms_since(t));
  return r;
}

}  // namespace snapdelta
