#include "source/member_inflate.h"

#include "source/isal_inflater.h"
#include "source/zlib_inflater.h"

namespace snapdelta {

uint64_t inflate_drop_member(const Drop& drop, const InflateOptions& options, ByteSink& sink) {
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

}  // namespace snapdelta
