#include "pipeline/member_stream.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "common/error.h"
#include "common/stopwatch.h"
#include "pipeline/parser_sink.h"
#include "pipeline/pipelined_sink.h"
#include "source/member_inflate.h"

namespace snapdelta {
namespace {

// Hands every byte to a tap, then on.
class TeeSink : public ByteSink {
 public:
  TeeSink(ByteSink& tap, ByteSink& next) : tap_(tap), next_(next) {}
  void write(const uint8_t* data, size_t size) override {
    tap_.write(data, size);
    next_.write(data, size);
  }

 private:
  ByteSink& tap_;
  ByteSink& next_;
};

}  // namespace

void check_member_crc(const ZipEntry& entry, uint32_t crc) {
  if (crc != entry.crc32) {
    fail(entry.archive_path,
         fmt::format("expected the CRC-32 {:08x} the archive declares for {}, found {:08x} "
                     "(corrupt zip)",
                     entry.crc32, entry.name, crc));
  }
}

StreamResult stream_member(StreamRequest req, JobParser& parser) {
  const auto t0 = Clock::now();
  const ZipEntry& entry = req.drop.entry();
  const uint64_t start =
      req.decode ? req.decode_start : (req.inflate.resume ? req.inflate.resume->out_offset : 0);
  const uint64_t expected_total = req.decode ? req.size_hint : entry.uncompressed_size;
  ParserSink parser_sink(parser);
  std::optional<PipelinedSink> pipe;
  if (req.threads >= 2) {
    // A small tail gets small chunks and few of them: parsing starts early, and fewer fresh pages
    // are touched (each costs a page fault).
    const uint64_t bytes = expected_total - std::min(expected_total, start);
    const auto chunk = static_cast<size_t>(std::clamp<uint64_t>(bytes / 32, 64 << 10, 1 << 20));
    pipe.emplace(parser_sink, chunk, bytes < (16 << 20) ? 4 : 6);
  }
  StreamRouter router(start, std::move(req.expected), req.parse_from,
                      pipe ? static_cast<ByteSink&>(*pipe) : static_cast<ByteSink&>(parser_sink),
                      req.on_mismatch);
  std::optional<TeeSink> tee;
  if (req.tap) tee.emplace(*req.tap, router);
  StreamResult r;
  ByteSink& first = tee ? static_cast<ByteSink&>(*tee) : static_cast<ByteSink&>(router);
  r.total = req.decode ? req.decode(first) : inflate_drop_member(req.drop, req.inflate, first);
  router.finish();
  if (pipe) pipe->finish();
  parser_sink.finish();
  const double waited = pipe ? pipe->wait_ms() : parser_sink.parse_ms();
  r.inflate_ms = ms_since(t0) - waited - router.verify_ms();
  r.parse_ms = parser_sink.parse_ms();
  r.new_crc = router.new_crc();
  r.new_hash = router.new_hash();
  r.new_bytes = router.new_bytes();
  r.verify_ms = router.verify_ms();
  if (const ExpectedRange* m = router.first_mismatch()) r.mismatch = *m;
  return r;
}

}  // namespace snapdelta
