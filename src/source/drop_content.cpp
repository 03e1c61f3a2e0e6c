#include "source/drop_content.h"

#include "source/file_stream.h"
#include "source/gzip_reader.h"
#include "source/member_inflate.h"
#include "source/zstd_reader.h"

namespace snapdelta {

void read_drop_content(const Drop& drop, ByteSink& sink) {
  switch (drop.container()) {
    case Container::zip: {
      InflateOptions options;
      options.engine = InflateEngine::isal_then_zlib;
      inflate_drop_member(drop, options, sink);
      return;
    }
    case Container::gzip:
      inflate_gzip(drop.file(), sink);
      return;
    case Container::zstd:
      decompress_zstd(drop.file(), sink);
      return;
    case Container::csv:
      stream_file(drop.file(), 0, sink);
      return;
  }
}

}  // namespace snapdelta
