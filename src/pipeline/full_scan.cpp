#include "pipeline/full_scan.h"

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "common/error.h"
#include "csv/transaction_parser.h"
#include "pipeline/pipelined_sink.h"
#include "pipeline/stream_router.h"
#include "source/zlib_inflater.h"

namespace snapdelta {

int effective_threads(int requested) {
  if (requested > 0) return requested;
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

uint64_t inflate_into(const FileReader& file, const ZipEntry& entry, const InflateOptions& options,
                      StreamRouter& router, int threads, RunReport& report, const char* phase) {
  const auto t0 = std::chrono::steady_clock::now();
  uint64_t total = 0;
  double own_ms = 0;
  if (threads >= 2) {
    PipelinedSink pipe(router);
    total = inflate_member(file, entry, options, pipe);
    pipe.finish();
    own_ms = pipe.wait_ms();
  } else {
    total = inflate_member(file, entry, options, router);
  }
  router.finish();
  const double wall =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (threads < 2) own_ms = router.parse_ms() + router.verify_ms();
  report.add_phase(phase, wall - own_ms);
  return total;
}

namespace {

void scan_once(const FileReader& file, const ZipEntry& entry, GroupTable& table, ClientState& state,
               RunReport& report, int threads, bool bulk, bool* handed_off) {
  TransactionParser parser(entry.archive_path, table, 1, true, false);
  StreamRouter router(0, {}, 0, parser);
  std::vector<Checkpoint> captured;
  InflateOptions options;
  options.captured = &captured;
  options.bulk = bulk;
  options.handed_off = handed_off;
  options.capture_from =
      entry.compressed_size > kCaptureSpan ? entry.compressed_size - kCaptureSpan : 0;
  const uint64_t total =
      inflate_into(file, entry, options, router, threads, report, "read_decompress");
  if (router.new_crc() != entry.crc32) {
    fail(entry.archive_path,
         fmt::format("corrupt zip: CRC-32 of {} is {:08x}, the archive declares {:08x}", entry.name,
                     router.new_crc(), entry.crc32));
  }
  const auto t1 = std::chrono::steady_clock::now();
  fill_compressed_hashes(file, entry, captured);
  report.add_phase(
      "read_decompress",
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count());
  report.add_phase("parse_aggregate", router.parse_ms());
  report.bytes_inflated += total;

  state.file = entry.archive_path;
  state.rows = parser.rows();
  state.lines = parser.lines();
  state.bytes = total;
  state.crc32 = entry.crc32;
  state.unterminated = parser.ended_unterminated();
  state.segments = {Segment{total, state.lines, router.new_hash()}};
  state.checkpoints = std::move(captured);
}

}  // namespace

void full_scan(const FileReader& file, const ZipEntry& entry, GroupTable& table, ClientState& state,
               RunReport& report, int threads) {
  bool handed_off = false;
  try {
    scan_once(file, entry, table, state, report, threads, /*bulk=*/true, &handed_off);
  } catch (const Error&) {
    // ISA-L found the hand-over boundary from its decoder state; should zlib disagree, trust
    // neither and inflate everything with zlib alone (which reports genuine corruption itself).
    if (!handed_off) throw;
    table = GroupTable();
    report.phases_ms.clear();
    report.bytes_inflated = 0;
    scan_once(file, entry, table, state, report, threads, /*bulk=*/false, nullptr);
  }
}

}  // namespace snapdelta
