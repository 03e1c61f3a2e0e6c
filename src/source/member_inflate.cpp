#include "source/member_inflate.h"

#include <fmt/format.h>

#include "common/error.h"
#include "source/isal_inflater.h"
#include "source/zlib_inflater.h"

namespace snapdelta {
namespace {

uint64_t inflate_with_engine(const Drop& drop, const InflateOptions& options, ByteSink& sink) {
  const ZipEntry& entry = drop.entry();
  if (entry.method == 0 || options.engine == InflateEngine::zlib_only) {
    return zlib_inflate_member(drop, options, sink);
  }
  IsalResult r = isal_inflate_member(drop, options, sink);
  if (!r.handoff) {
    check_inflated_total(entry, r.total);
    return r.total;
  }
  if (options.handed_off) *options.handed_off = true;
  InflateOptions rest = options;
  rest.resume = &*r.handoff;
  rest.capture_from = r.handoff->in_byte;
  return zlib_inflate_member(drop, rest, sink);
}

// A gzip file read as one member must end its deflate stream right before the trailer: one that
// ends earlier holds more members (`cat a.gz b.gz`), and the trailer is the last one's.
void check_one_member(const Drop& drop, uint64_t stream_end) {
  const ZipEntry& entry = drop.entry();
  if (drop.container() != Container::gzip || entry.method == 0) return;
  if (stream_end == entry.compressed_size) return;
  fail(entry.archive_path,
       fmt::format("expected one gzip member whose deflate data ends at byte {}, found its end at "
                   "byte {} (a file of several members)",
                   entry.data_offset + entry.compressed_size, entry.data_offset + stream_end));
}

}  // namespace

uint64_t inflate_drop_member(const Drop& drop, const InflateOptions& options, ByteSink& sink) {
  uint64_t end = 0;
  InflateOptions checked = options;
  checked.stream_end = &end;
  const uint64_t total = inflate_with_engine(drop, checked, sink);
  check_one_member(drop, end);
  if (options.stream_end) *options.stream_end = end;
  return total;
}

}  // namespace snapdelta
