#include "pipeline/drop_scan.h"

#include <zlib.h>

#include <algorithm>
#include <exception>

#include "common/stopwatch.h"
#include "csv/transaction_parser.h"
#include "pipeline/member_stream.h"
#include "source/prefix_proof.h"

namespace snapdelta {
namespace {

// The consumed ranges a pass starting at `resume` (or at the stream's start) must check.
std::vector<ExpectedRange> expected_ranges(const ClientState& old, const Checkpoint* resume) {
  std::vector<ExpectedRange> expected;
  if (old.bytes == 0) return expected;
  if (resume) {
    // The line holding the checkpoint is not known; name the last consumed segment's range.
    const uint64_t first_line =
        old.segments.size() > 1 ? old.segments[old.segments.size() - 2].lines + 1 : 1;
    expected.push_back(
        ExpectedRange{resume->out_offset, old.bytes, resume->tail_hash, first_line, old.lines});
    return expected;
  }
  uint64_t begin = 0, first_line = 1;
  for (const Segment& s : old.segments) {
    expected.push_back(ExpectedRange{begin, s.end, s.hash, first_line, s.lines});
    begin = s.end;
    first_line = s.lines + 1;
  }
  return expected;
}

TransactionParser make_parser(const ZipEntry& entry, GroupTable& table, const ClientState& old) {
  return TransactionParser(
      entry.archive_path, table,
      old.bytes == 0 ? ParserStart::file_start() : ParserStart::after(old.lines, old.unterminated));
}

// The consumed state extended by what this pass parsed.
ClientState extend(const ClientState& old, const ZipEntry& entry, const TransactionParser& parser,
                   const StreamResult& r) {
  ClientState s = old;
  s.file = entry.archive_path;
  s.rows = old.rows + parser.rows();
  s.lines = parser.lines();
  s.bytes = r.total;
  s.crc32 = entry.crc32;
  s.unterminated = parser.ended_unterminated();
  // A segment for the bytes this run consumed; a first run has one even for an empty member.
  if (r.new_bytes > 0 || s.segments.empty())
    s.segments.push_back(Segment{r.total, s.lines, r.new_hash});
  return s;
}

// Whether the scan parses from the file's start (nothing consumed, or reparsing it all).
bool whole_file(const ScanRequest& req) {
  return req.consumed.bytes == 0 || req.mode == Consumed::reparse;
}

StreamRequest stream_request(const ScanRequest& req, InflateOptions options) {
  const bool whole = whole_file(req);
  StreamRequest s{req.drop,
                  options,
                  expected_ranges(req.consumed, whole ? nullptr : req.resume),
                  whole ? 0 : req.consumed.bytes,
                  req.threads,
                  whole ? "read_decompress" : "decompress"};
  s.on_mismatch = req.mode == Consumed::reparse ? OnMismatch::record : OnMismatch::stop;
  s.tap = req.blocks;
  return s;
}

void scan_once(const ScanRequest& req, const InflateOptions& engine, Scan& out, RunReport& report) {
  const ClientState nothing;
  const ClientState& old = whole_file(req) ? nothing : req.consumed;
  if (req.blocks) req.blocks->restart();
  const ZipEntry& entry = req.drop.entry();
  TransactionParser parser = make_parser(entry, out.table, old);
  std::vector<Checkpoint> captured;
  InflateOptions options = engine;
  options.resume = whole_file(req) ? nullptr : req.resume;
  options.captured = &captured;
  const uint64_t span = capture_span(req.consumed.checkpoints);
  options.capture_from = entry.compressed_size > span ? entry.compressed_size - span : 0;
  if (!whole_file(req)) report.path = req.resume ? Route::checkpoint : Route::inflate_all;
  const StreamResult r = stream_member(stream_request(req, options), parser, report);
  check_member_crc(entry, static_cast<uint32_t>(crc32_combine64(
                              old.crc32, r.new_crc, static_cast<z_off64_t>(r.new_bytes))));
  if (whole_file(req)) {
    const auto t = Clock::now();
    fill_compressed_hashes(req.drop, captured);
    report.add_phase("read_decompress", ms_since(t));
  } else {
    report.add_phase("prefix_check", r.verify_ms);
  }
  report.bytes_inflated += r.total - (options.resume ? options.resume->out_offset : 0);
  report.rows_processed = parser.rows();
  out.state = extend(old, entry, parser, r);
  out.state.checkpoints = std::move(captured);
  out.mismatch = r.mismatch;
}

}  // namespace

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

void rescan_with_zlib(const ScanRequest& req, const RunReport& before, Scan& out,
                      RunReport& report) {
  report = before;
  out = Scan{};
  InflateOptions zlib_alone;
  zlib_alone.engine = InflateEngine::zlib_only;
  ScanRequest from_start = req;
  from_start.resume = nullptr;
  scan_once(from_start, zlib_alone, out, report);
}

void scan_drop_once(const ScanRequest& req, Scan& out, RunReport& report) {
  InflateOptions fast;
  fast.engine = InflateEngine::isal_then_zlib;
  scan_once(req, fast, out, report);
}

void scan_drop(const ScanRequest& req, Scan& out, RunReport& report) {
  const RunReport before = report;
  bool handed_off = false;
  try {
    InflateOptions fast;
    fast.engine = InflateEngine::isal_then_zlib;
    fast.handed_off = &handed_off;
    scan_once(req, fast, out, report);
  } catch (const HistoryChanged&) {
    throw;  // judged again by the caller, from bytes the zip's CRC proves (verified_rebuild.h)
  } catch (const std::exception&) {
    // ISA-L found the hand-over boundary or resumed from a checkpoint by its decoder state. With
    // history at stake, or after a hand-over, trust neither inflater: zlib alone judges again
    // (and reports genuine corruption itself). Otherwise the error is the input's.
    if (!handed_off && whole_file(req)) throw;
    rescan_with_zlib(req, before, out, report);
  }
}

Scan scan_whole_drop(const Drop& drop, int threads, RunReport& report) {
  const ClientState nothing;
  Scan scan;
  scan_drop(ScanRequest{drop, nothing, nullptr, threads}, scan, report);
  return scan;
}

}  // namespace snapdelta
