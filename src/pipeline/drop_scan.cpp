#include "pipeline/drop_scan.h"

#include <algorithm>
#include <exception>

#include "common/error.h"
#include "common/stopwatch.h"
#include "csv/job_parser.h"
#include "job/builtin_job.h"
#include "pipeline/member_stream.h"
#include "pipeline/scan_parts.h"
#include "pipeline/single_member_scan.h"
#include "pipeline/stream_scan.h"
#include "source/crc32.h"
#include "source/prefix_proof.h"

namespace snapdelta {
namespace {

// Whether the scan parses from the file's start (nothing consumed, or reparsing it all).
bool whole_file(const ScanRequest& req) {
  return req.consumed.bytes == 0 || req.mode == Consumed::reparse;
}

StreamRequest stream_request(const ScanRequest& req, const InflateOptions& options) {
  const bool whole = whole_file(req);
  StreamRequest s{req.drop, options, expected_ranges(req.consumed, whole ? nullptr : req.resume),
                  whole ? 0 : req.consumed.bytes, req.threads};
  s.on_mismatch = req.mode == Consumed::reparse ? OnMismatch::record : OnMismatch::stop;
  s.tap = req.blocks;
  return s;
}

InflateOptions inflate_options(const ScanRequest& req, InflateEngine engine,
                               std::vector<Checkpoint>& captured) {
  InflateOptions options;
  options.engine = engine;
  options.resume = whole_file(req) ? nullptr : req.resume;
  options.captured = &captured;
  const uint64_t compressed = req.drop.entry().compressed_size;
  const uint64_t span = capture_span(req.consumed.checkpoints);
  options.capture_from = compressed > span ? compressed - span : 0;
  return options;
}

// One pass with `engine`. A consumed range that differs ends the pass with that verdict; every
// other failure throws (the caller decides whose fault it is).
ScanResult scan_once(const ScanRequest& req, InflateOptions options) {
  const ClientState nothing;
  const ClientState& old = whole_file(req) ? nothing : req.consumed;
  if (req.blocks) req.blocks->restart();
  const ZipEntry& entry = req.drop.entry();
  ScanResult out;
  if (!whole_file(req)) out.route = req.resume ? Route::checkpoint : Route::inflate_all;
  JobParser parser = make_parser(req.drop, out.scan.table, old);
  StreamResult r;
  try {
    r = stream_member(stream_request(req, options), parser);
  } catch (const HistoryChanged& changed) {
    out.verdict = Verdict::history_changed;
    out.changed = changed.what();
    return out;
  }
  const uint32_t crc = crc32_join(old.crc32, r.new_crc, r.new_bytes);
  check_member_crc(entry, crc);
  const Phase inflating = whole_file(req) ? Phase::read_decompress : Phase::decompress;
  out.phases.add(inflating, r.inflate_ms);
  out.phases.add(Phase::parse_aggregate, r.parse_ms);
  if (whole_file(req)) {
    const auto t = Clock::now();
    fill_compressed_hashes(req.drop, *options.captured);
    out.phases.add(Phase::read_decompress, ms_since(t));
  } else {
    out.phases.add(Phase::prefix_check, r.verify_ms);
  }
  out.bytes_inflated = r.total - (options.resume ? options.resume->out_offset : 0);
  out.rows_parsed = parser.rows();
  out.scan.state = extend(old, entry, parser, r, crc);
  out.scan.checkpoints = std::move(*options.captured);
  out.mismatch = r.mismatch;
  return out;
}

}  // namespace

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

JobParser make_parser(const Drop& drop, JobGroups& groups, const ClientState& old) {
  groups = JobGroups(drop.job());
  if (old.bytes == 0) {
    return JobParser(drop.entry().archive_path, drop.job(), groups, ParserStart::file_start(), "");
  }
  // A state kept before headers were stored is the built-in job's: its header is the seed's.
  std::string header = old.header.empty() ? std::string(kBuiltinHeader) : old.header;
  return JobParser(drop.entry().archive_path, drop.job(), groups,
                   ParserStart::after(old.lines, old.unterminated), std::move(header));
}

// The consumed state extended by what this pass parsed.
ClientState extend(const ClientState& old, const ZipEntry& entry, const JobParser& parser,
                   const StreamResult& r, uint32_t crc) {
  ClientState s = old;
  s.file = entry.archive_path;
  s.rows = old.rows + parser.rows();
  s.lines = parser.lines();
  s.bytes = r.total;
  s.crc32 = crc;
  s.unterminated = parser.ended_unterminated();
  s.header = parser.header();
  s.checkpoints.clear();  // the scan's own are in Scan::checkpoints
  // A segment for the bytes this run consumed; a first run has one even for an empty member.
  if (r.new_bytes > 0 || s.segments.empty())
    s.segments.push_back(Segment{r.total, s.lines, r.new_hash});
  return s;
}

uint64_t capture_span(const std::vector<StoredCheckpoint>& previous) {
  if (previous.size() < 2) return kCaptureSpan;
  std::vector<uint64_t> at;
  for (const StoredCheckpoint& c : previous) at.push_back(c.in_byte);
  std::sort(at.begin(), at.end());
  uint64_t widest = 0;
  for (size_t i = 1; i < at.size(); ++i) widest = std::max(widest, at[i] - at[i - 1]);
  if (widest == 0) return kCaptureSpan;
  return std::clamp<uint64_t>(5 * widest, 64 << 10, kCaptureSpan);
}

ScanResult scan_fast(const ScanRequest& req) {
  bool handed_off = false;
  std::vector<Checkpoint> captured;
  InflateOptions fast = inflate_options(req, InflateEngine::isal_then_zlib, captured);
  fast.handed_off = &handed_off;
  try {
    return scan_once(req, fast);
  } catch (const std::exception&) {
    // ISA-L found the hand-over boundary, or resumed from a checkpoint by its decoder state: then
    // neither inflater is trusted and zlib alone judges again. Otherwise the error is the input's.
    if (!handed_off && whole_file(req)) throw;
    ScanResult failed;
    failed.verdict = Verdict::fast_path_failed;
    return failed;
  }
}

ScanResult scan_zlib(const ScanRequest& req) {
  ScanRequest from_start = req;
  from_start.resume = nullptr;
  std::vector<Checkpoint> captured;
  return scan_once(from_start, inflate_options(from_start, InflateEngine::zlib_only, captured));
}

ScanResult scan_whole_drop(const Drop& drop, int threads) {
  const ClientState nothing;
  if (drop.container() != Container::zip) {
    if (std::optional<ScanResult> one = scan_single_member(drop, threads)) return std::move(*one);
    return scan_stream({drop, nothing, std::nullopt, threads});
  }
  const ScanRequest request{drop, nothing, nullptr, threads};
  ScanResult r = scan_fast(request);
  if (r.verdict == Verdict::fast_path_failed) r = scan_zlib(request);
  return r;
}

}  // namespace snapdelta
