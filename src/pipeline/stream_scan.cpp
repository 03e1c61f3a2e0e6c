#include "pipeline/stream_scan.h"

#include "common/error.h"
#include "common/stopwatch.h"
#include "pipeline/scan_parts.h"
#include "source/crc32.h"
#include "source/file_hash.h"
#include "source/file_stream.h"
#include "source/gzip_reader.h"
#include "source/hash_combine.h"
#include "source/zstd_reader.h"

namespace snapdelta {
namespace {

uint64_t decode_gzip(const FileReader& file, const StreamBoundary& from, ByteSink& sink,
                     StreamBoundary& end) {
  const std::vector<GzipMember> members =
      inflate_gzip(file, sink, GzipStart{from.in_offset, from.out_offset, from.index});
  end = from;
  if (!members.empty()) {
    end.out_offset = members.back().out_offset + members.back().out_size;
    end.index = members.back().index + 1;
  }
  end.in_offset = file.size();  // inflate_gzip refuses trailing bytes
  return end.out_offset;
}

uint64_t decode_zstd(const FileReader& file, const StreamBoundary& from, ByteSink& sink,
                     StreamBoundary& end) {
  end = from;
  end.in_offset = file.size();  // list_zstd_frames refuses trailing bytes
  if (from.in_offset == file.size() && from.in_offset > 0) return from.out_offset;
  const std::vector<ZstdFrameRead> frames =
      decompress_zstd(file, sink, ZstdStart{from.in_offset, from.index}, from.out_offset);
  if (!frames.empty()) {
    end.out_offset = frames.back().out_offset + frames.back().out_size;
    end.index = frames.back().frame.index + 1;
  }
  return end.out_offset;
}

// Decodes the drop from `from` (the file's start when empty) into `sink`; `end` is set to the
// boundary at the file's end for the containers that have one.
uint64_t decode(const Drop& drop, const std::optional<StreamBoundary>& from, ByteSink& sink,
                std::optional<StreamBoundary>& end) {
  const StreamBoundary start = from.value_or(StreamBoundary{});
  StreamBoundary last;
  switch (drop.container()) {
    case Container::gzip:
      decode_gzip(drop.file(), start, sink, last);
      break;
    case Container::zstd:
      decode_zstd(drop.file(), start, sink, last);
      break;
    case Container::csv:
    case Container::zip:
      return start.out_offset + stream_file(drop.file(), start.out_offset, sink);
  }
  end = last;
  return last.out_offset;
}

// The boundary's hash of [data_offset, in_offset), from the proven one when the scan started there.
void hash_prefix(const Drop& drop, const std::optional<StreamBoundary>& from, StreamBoundary& end) {
  const uint64_t begin = from ? from->in_offset : drop.entry().data_offset;
  const uint64_t tail = hash_file_range(drop.file(), begin, end.in_offset);
  end.compressed_hash =
      from ? hash64_combine(from->compressed_hash, tail, end.in_offset - begin) : tail;
}

}  // namespace

bool boundary_holds(const Drop& drop, const StreamBoundary& b, const ClientState& consumed) {
  const uint64_t begin = drop.entry().data_offset;
  return b.out_offset == consumed.bytes && b.in_offset >= begin &&
         b.in_offset <= drop.file().size() &&
         hash_file_range(drop.file(), begin, b.in_offset) == b.compressed_hash;
}

ScanResult scan_stream(const StreamScanRequest& req) {
  const ClientState nothing;
  const bool whole = req.consumed.bytes == 0;
  const ClientState& old = whole ? nothing : req.consumed;
  const ZipEntry& entry = req.drop.entry();
  ScanResult out;
  JobParser parser = make_parser(req.drop, out.scan.table, old);
  std::optional<StreamBoundary> end;
  StreamRequest s{req.drop, InflateOptions{},
                  req.from ? std::vector<ExpectedRange>{} : expected_ranges(old, nullptr),
                  old.bytes, req.threads};
  s.decode = [&](ByteSink& sink) { return decode(req.drop, req.from, sink, end); };
  s.decode_start = req.from ? req.from->out_offset : 0;
  s.size_hint = entry.uncompressed_size;
  StreamResult r;
  try {
    r = stream_member(std::move(s), parser);
  } catch (const HistoryChanged& changed) {
    out.verdict = Verdict::history_changed;
    out.changed = changed.what();
    return out;
  }
  const auto t = Clock::now();
  if (end) hash_prefix(req.drop, req.from, *end);
  out.phases.add(whole ? Phase::read_decompress : Phase::decompress, r.inflate_ms + ms_since(t));
  out.phases.add(Phase::parse_aggregate, r.parse_ms);
  if (!whole) out.phases.add(Phase::prefix_check, r.verify_ms);
  out.bytes_inflated = r.total - (req.from ? req.from->out_offset : 0);
  out.rows_parsed = parser.rows();
  out.scan.state = extend(old, entry, parser, r, crc32_join(old.crc32, r.new_crc, r.new_bytes));
  out.scan.boundary = end;
  return out;
}

}  // namespace snapdelta
