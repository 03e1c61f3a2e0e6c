#include "pipeline/plan.h"

#include <fmt/format.h>

#include <array>

#include "common/error.h"
#include "common/thread_placement.h"
#include "pipeline/checkpoint_records.h"
#include "pipeline/history_shrank.h"
#include "pipeline/proven_resume.h"
#include "pipeline/single_member_scan.h"
#include "pipeline/speculative_tail.h"
#include "pipeline/stream_scan.h"
#include "pipeline/verified_rebuild.h"
#include "source/container_sniff.h"
#include "source/prefix_proof.h"

namespace snapdelta {
namespace {

void refuse_older_day(const RunOptions& o, const std::optional<ClientState>& old,
                      const std::string& file) {
  if (old && old->day > o.day) {
    fail(file, fmt::format("expected a day at or after the stored state's day {} for {}, found day "
                           "{} (run --mode full to rebuild from an older day)",
                           old->day, o.client, o.day));
  }
}

Prepared prepared(ScanResult&& r, Route route) {
  Prepared p;
  p.route = route;
  p.scan = std::move(r.scan);
  p.phases = std::move(r.phases);
  p.rows_processed = r.rows_parsed;
  p.bytes_inflated = r.bytes_inflated;
  return p;
}

Prepared noop_prepared() {
  Prepared p;
  p.route = Route::noop;
  return p;
}

// Whether a gzip member or zstd frame may begin at `at` (its magic is there): a file rewritten
// since the boundary was recorded has compressed data there, and is sent on without hashing its
// prefix (or decoding from the middle of a frame).
bool member_may_start(const Drop& drop, uint64_t at) {
  const Container container = drop.container();
  if (container != Container::gzip && container != Container::zstd) return true;
  std::array<uint8_t, 4> magic{};
  if (drop.file().size() < at + magic.size()) return false;
  drop.file().read_at(at, magic.data(), magic.size());
  const ContainerKind kind = sniff_container(magic);
  return kind == (container == Container::gzip ? ContainerKind::gzip : ContainerKind::zstd);
}

bool replaces(Route route) {
  return route != Route::checkpoint && route != Route::inflate_all && route != Route::offset &&
         route != Route::append;
}

}  // namespace

bool already_applied(int day, const std::optional<ClientState>& old, const Drop& drop) {
  const ZipEntry& entry = drop.entry();
  return drop.container() == Container::zip && old && old->day == day &&
         old->bytes == entry.uncompressed_size && old->crc32 == entry.crc32;
}

Plan::Plan(const RunOptions& o, const Drop& drop)
    : o_(o), drop_(drop), threads_(effective_threads(o.threads)) {}

Prepared Plan::prepare(const std::optional<ClientState>& basis, TailWriter& writer) const {
  Prepared p;
  if (o_.mode == RunMode::full) {
    p = whole(Route::full);
  } else {
    refuse_older_day(o_, basis, drop_.entry().archive_path);
    if (already_applied(o_.day, basis, drop_)) {
      p.route = Route::noop;
    } else if (!basis || basis->bytes == 0) {
      p = whole(Route::first_run);
    } else if (drop_.container() == Container::zip) {
      p = tail(*basis, writer);
    } else {
      p = stream_tail(*basis, writer);
    }
  }
  p.basis = basis;
  return p;
}

// The incremental fallback chain, top to bottom: speculate from the furthest checkpoint while the
// prefix is proven; else consume from the proven point; where the fast path may be at fault, zlib
// alone judges from the stream's start; a changed history is rebuilt, verified.
Prepared Plan::tail(const ClientState& old, TailWriter& writer) const {
  if (drop_.entry().uncompressed_size < old.bytes) return rebuild_whole(old, "history changed");
  SpeculativeTail tail(drop_, old, threads_);
  ScanResult r = tail.speculate(writer);
  if (r.verdict == Verdict::not_proven) r = scan_fast(tail.from_proven());
  if (r.verdict == Verdict::fast_path_failed) r = scan_zlib(tail.from_start());
  if (r.verdict == Verdict::history_changed) return rebuild(old);
  tail.finish(r);
  const Route route = r.route;
  return prepared(std::move(r), route);
}

// History changed, says the fast path: one whole-file scan rebuilds the client and proves the
// verdict from bytes the zip's CRC covers. Should every consumed byte prove unchanged, the fast
// path was wrong and zlib alone reads the tail.
Prepared Plan::rebuild(const ClientState& old) const {
  Rebuild r = verified_rebuild(drop_, old, threads_);
  if (r.changed.empty()) {
    ScanResult zlib = scan_zlib(ScanRequest{drop_, old, nullptr, threads_});
    if (zlib.verdict != Verdict::consumed) {
      fail(drop_.entry().archive_path,
           fmt::format("expected one verdict on the history of {}, found the whole-file check "
                       "saying unchanged and zlib saying {}",
                       o_.client, zlib.changed));
    }
    const auto t = Clock::now();
    fill_compressed_hashes(drop_, zlib.scan.checkpoints);
    zlib.phases.add(Phase::prefix_check, ms_since(t));
    return prepared(std::move(zlib), Route::inflate_all);
  }
  if (o_.on_history_change == HistoryPolicy::fail) {
    fail(drop_.entry().archive_path,
         fmt::format("{}; {} left as it was (--on-history-change fail)", r.changed, o_.client));
  }
  Prepared p = prepared(std::move(r.result), Route::rebuilt);
  p.rebuilt = std::move(r.changed);
  return p;
}

// The chain of a drop read as a byte stream, top to bottom: resume where the consumed bytes end
// while a second thread proves them (append: after the last gzip member or zstd frame consumed;
// offset: a plain CSV); a gzip file rewritten as one member goes down the zip chain over its
// deflate span (checkpoint, inflate-all); any other gzip, zstd or CSV drop is read from its start
// with the consumed segments checked (inflate-all, offset); a changed history is rebuilt from the
// whole drop. No new bytes on the state's own day is a no-op.
Prepared Plan::stream_tail(const ClientState& old, TailWriter& writer) const {
  const Container container = drop_.container();
  ScanResult r = resume_stream(old, writer);
  // A last member (ISIZE) smaller than the consumed bytes cannot be the whole history rewritten:
  // members were appended, so the file is read member by member below.
  if (r.verdict == Verdict::not_proven && container == Container::gzip &&
      drop_.entry().uncompressed_size >= old.bytes) {
    if (std::optional<Prepared> p = one_member_tail(old, writer)) return std::move(*p);
  }
  if (r.verdict == Verdict::not_proven) {
    r = scan_stream({drop_, old, std::nullopt, threads_});
    r.route = container == Container::csv ? Route::offset : Route::inflate_all;
  }
  if (r.verdict == Verdict::history_changed) return rebuild_whole(old, r.changed);
  if (nothing_new(r.route, r.scan.state, old)) return noop_prepared();
  const Route route = r.route;
  return prepared(std::move(r), route);
}

// A gzip file rewritten as one member, down the zip chain over its deflate span; nullopt when its
// stream ends before the trailer (several members after all) or it fails to read: the member
// reader then reads it from its start and names any fault itself. The file's end stays a
// boundary, so a day that appends a member takes the append route.
std::optional<Prepared> Plan::one_member_tail(const ClientState& old, TailWriter& writer) const {
  Prepared p;
  try {
    p = tail(without_boundary(old), writer);
  } catch (const Error&) {
    writer.undo();
    return std::nullopt;
  }
  if (nothing_new(p.route, p.scan.state, old)) return noop_prepared();
  const auto t = Clock::now();
  p.scan.boundary = member_end_boundary(drop_, p.scan);
  p.phases.add(Phase::prefix_check, ms_since(t));
  return p;
}

// The scan from where the consumed bytes end, kept only once they are proven: a CSV's by its
// segments' hashes, a gzip's or zstd's by the boundary the state recorded; not_proven otherwise.
ScanResult Plan::resume_stream(const ClientState& old, TailWriter& writer) const {
  ScanResult none;
  none.verdict = Verdict::not_proven;
  const uint64_t size = drop_.file().size();
  const int threads = size - std::min(size, old.bytes) >= kThreadedTail ? threads_ : 1;
  if (drop_.container() == Container::csv) {
    if (old.segments.empty() || old.segments.back().end != old.bytes) return none;
    const StreamBoundary at{old.bytes, old.bytes, 0, 0};
    ScanResult r =
        resume_proven({drop_, old, at, threads}, old.bytes, chained_hash(old.segments), writer);
    r.route = Route::offset;
    return r;
  }
  const std::optional<StreamBoundary> b = boundary_of(old.checkpoints);
  const uint64_t data = drop_.entry().data_offset;
  if (!b || b->out_offset != old.bytes || b->in_offset < data || b->in_offset > size) return none;
  ScanResult r;
  if (b->in_offset < size) {
    if (!member_may_start(drop_, b->in_offset)) return none;
    r = resume_proven({drop_, old, b, threads}, b->in_offset - data, b->compressed_hash, writer);
  } else if (boundary_holds(drop_, *b, old)) {
    r = scan_stream({drop_, old, b, 1});  // nothing after the boundary
  } else {
    return none;
  }
  r.route = Route::append;
  return r;
}

// A tail that found no new bytes on the state's own day: the drop was already applied.
bool Plan::nothing_new(Route route, const ClientState& after, const ClientState& old) const {
  return route != Route::rebuilt && after.bytes == old.bytes && old.day == o_.day;
}

// History changed in a drop read as a byte stream, or a zip drop shorter than what was consumed:
// rebuilt from the whole drop, or refused. A drop shorter than the consumed bytes says so in the
// words of history_shrank.h, also after the fault that stops its rebuild (a last row cut short).
Prepared Plan::rebuild_whole(const ClientState& old, const std::string& changed) const {
  const std::string& path = drop_.entry().archive_path;
  if (o_.on_history_change == HistoryPolicy::fail) {
    fail(path, fmt::format("{}; {} left as it was (--on-history-change fail)",
                           shrunk_history(drop_, old).value_or(changed), o_.client));
  }
  ScanResult r;
  try {
    r = scan_whole_drop(drop_, threads_);
  } catch (const Error& e) {
    const std::optional<std::string> shrank = shrunk_history(drop_, old);
    if (!shrank) throw;
    throw Error(fmt::format("{}; {}; {} left as it was", e.what(), *shrank, o_.client));
  }
  std::string words = changed;
  if (r.scan.state.bytes < old.bytes)
    words = shrunk_history(drop_, old, r.scan.state.rows).value_or(changed);
  Prepared p = prepared(std::move(r), Route::rebuilt);
  p.rebuilt = std::move(words);
  return p;
}

Prepared Plan::whole(Route route) const {
  return prepared(scan_whole_drop(drop_, threads_), route);
}

double Plan::commit(ClientWrite& write, Prepared& p, const TailWriter& writer, RunLogEntry log,
                    Clock::time_point t0) const {
  if (p.route == Route::noop)
    throw Error(fmt::format("{}: a no-op has nothing to commit", o_.client));
  const auto t = Clock::now();
  ClientState& s = p.scan.state;
  if (replaces(p.route)) {
    write.replace_groups(p.scan.table);
    s.groups = p.scan.table.groups();
  } else {
    const uint64_t new_keys =
        writer.written() ? writer.new_keys()
                         : add_drop_groups(write, p.scan.table, drop_.entry().archive_path);
    s.groups = p.basis->groups + new_keys;
  }
  s.client = o_.client;
  s.day = o_.day;
  s.mode = o_.mode;
  s.checkpoints = records_of(p.scan.checkpoints);
  if (p.scan.boundary) s.checkpoints.push_back(boundary_record(*p.scan.boundary));
  write.save_state(s);
  log.total_ms = ms_since(t0);
  write.log_run(log);
  write.commit();
  return ms_since(t) + writer.ms();
}

}  // namespace snapdelta
