#include "pipeline/full_scan.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

#include "common/error.h"
#include "csv/transaction_parser.h"
#include "pipeline/pipelined_sink.h"
#include "pipeline/stream_router.h"
#include "source/prefix_proof.h"
#include "source/zlib_inflater.h"

namespace snapdelta {

void check_member_crc(const ZipEntry& entry, uint32_t crc) {
  if (crc != entry.crc32) {
    fail(entry.archive_path,
         fmt::format("corrupt zip: CRC-32 of {} is {:08x}, the archive declares {:08x}", entry.name,
                     crc, entry.crc32));
  }
}

uint64_t capture_span(const std::vector<Checkpoint>& previous) {
  if (previous.size() < 2) return kCaptureSpan;
  std::vector<uint64_t> at;
  for (const Checkpoint& c : previous) at.push_back(c.in_byte);
  std::sort(at.begin(), at.end());
  uint64_t widest = 0;
  for (size_t i = 1; i < at.size(); ++i) widest = std::max(widest, at[i] - at[i - 1]);
  if (widest == 0) return kCaptureSpan;
  return std::clamp<uint64_t>(5 * widest, 64 << 10, kCaptureSpan);
}

int effective_threads(int requested) {
  if (requested > 0) return requested;
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

StreamResult stream_member(const Drop& drop, const InflateOptions& options, uint64_t start,
                           std::vector<ExpectedRange> expected, uint64_t parse_from,
                           TransactionParser& parser, int threads, RunReport& report,
                           const char* decompress_phase) {
  const ZipEntry& entry = drop.entry();
  const auto t0 = std::chrono::steady_clock::now();
  ParserSink parser_sink(parser);
  std::optional<PipelinedSink> pipe;
  if (threads >= 2) {
    // A small tail gets small chunks and few of them: parsing starts early, and fewer fresh pages
    // are touched (each costs a page fault).
    const uint64_t bytes = entry.uncompressed_size - std::min(entry.uncompressed_size, start);
    const auto chunk = static_cast<size_t>(std::clamp<uint64_t>(bytes / 32, 64 << 10, 1 << 20));
    pipe.emplace(parser_sink, chunk, bytes < (16 << 20) ? 4 : 6);
  }
  StreamRouter router(start, std::move(expected), parse_from,
                      pipe ? static_cast<ByteSink&>(*pipe) : static_cast<ByteSink&>(parser_sink));
  StreamResult r;
  r.total = inflate_member(drop, options, router);
  router.finish();
  if (pipe) pipe->finish();
  parser_sink.finish();
  const double wall =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const double waited = pipe ? pipe->wait_ms() : parser_sink.parse_ms();
  report.add_phase(decompress_phase, wall - waited - router.verify_ms());
  report.add_phase("parse_aggregate", parser_sink.parse_ms());
  r.new_crc = router.new_crc();
  r.new_hash = router.new_hash();
  r.new_bytes = router.new_bytes();
  r.verify_ms = router.verify_ms();
  return r;
}

namespace {

void scan_once(const Drop& drop, GroupTable& table, ClientState& state, RunReport& report,
               int threads, bool bulk, bool* handed_off) {
  const ZipEntry& entry = drop.entry();
  TransactionParser parser(entry.archive_path, table, ParserStart::file_start());
  std::vector<Checkpoint> captured;
  InflateOptions options;
  options.captured = &captured;
  options.bulk = bulk;
  options.handed_off = handed_off;
  options.capture_from =
      entry.compressed_size > kCaptureSpan ? entry.compressed_size - kCaptureSpan : 0;
  const StreamResult r =
      stream_member(drop, options, 0, {}, 0, parser, threads, report, "read_decompress");
  const uint64_t total = r.total;
  check_member_crc(entry, r.new_crc);
  const auto t1 = std::chrono::steady_clock::now();
  fill_compressed_hashes(drop, captured);
  report.add_phase(
      "read_decompress",
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count());
  report.bytes_inflated += total;

  state.file = entry.archive_path;
  state.rows = parser.rows();
  state.lines = parser.lines();
  state.bytes = total;
  state.crc32 = entry.crc32;
  state.unterminated = parser.ended_unterminated();
  state.segments = {Segment{total, state.lines, r.new_hash}};
  state.checkpoints = std::move(captured);
}

}  // namespace

void full_scan(const Drop& drop, GroupTable& table, ClientState& state, RunReport& report,
               int threads) {
  bool handed_off = false;
  try {
    scan_once(drop, table, state, report, threads, /*bulk=*/true, &handed_off);
  } catch (const Error&) {
    // ISA-L found the hand-over boundary from its decoder state; should zlib disagree, trust
    // neither and inflate everything with zlib alone (which reports genuine corruption itself).
    if (!handed_off) throw;
    table = GroupTable();
    report.phases_ms.clear();
    report.bytes_inflated = 0;
    scan_once(drop, table, state, report, threads, /*bulk=*/false, nullptr);
  }
}

}  // namespace snapdelta
