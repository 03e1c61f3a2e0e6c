#include "pipeline/incremental_plan.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <exception>
#include <functional>
#include <optional>
#include <thread>

#include "common/error.h"
#include "common/stopwatch.h"
#include "common/thread_placement.h"
#include "csv/transaction_parser.h"
#include "pipeline/db_session.h"
#include "pipeline/full_scan.h"
#include "pipeline/history_locator.h"
#include "pipeline/pipeline.h"
#include "pipeline/stream_router.h"
#include "source/prefix_proof.h"
#include "source/zlib_inflater.h"

namespace snapdelta {
namespace {

struct Delta {
  GroupTable table;
  ClientState state;
};

void consume_tail_once(const Drop& drop, const ClientState& old, const Checkpoint* resume,
                       Delta& delta, RunReport& report, int threads, bool bulk) {
  const ZipEntry& entry = drop.entry();
  std::vector<ExpectedRange> expected;
  uint64_t start = 0;
  if (resume) {
    start = resume->out_offset;
    // The line holding the checkpoint is not known; name the last consumed segment's range.
    const uint64_t first_line =
        old.segments.size() > 1 ? old.segments[old.segments.size() - 2].lines + 1 : 1;
    expected.push_back(ExpectedRange{start, old.bytes, resume->tail_hash, first_line, old.lines});
    report.path = "checkpoint";
  } else {
    uint64_t begin = 0, first_line = 1;
    for (const Segment& s : old.segments) {
      expected.push_back(ExpectedRange{begin, s.end, s.hash, first_line, s.lines});
      begin = s.end;
      first_line = s.lines + 1;
    }
    report.path = "inflate-all";
  }
  TransactionParser parser(entry.archive_path, delta.table,
                           ParserStart::after(old.lines, old.unterminated));
  std::vector<Checkpoint> captured;
  InflateOptions options;
  options.resume = resume;
  options.bulk = bulk;
  options.captured = &captured;
  const uint64_t span = capture_span(old.checkpoints);
  options.capture_from = entry.compressed_size > span ? entry.compressed_size - span : 0;
  // A second parsing thread pays off only when there is much to parse.
  constexpr uint64_t kThreadedTail = 16 << 20;
  if (entry.uncompressed_size - old.bytes < kThreadedTail) threads = 1;
  const StreamResult r = stream_member(drop, options, start, std::move(expected), old.bytes, parser,
                                       threads, report, "decompress");
  const uint32_t crc = static_cast<uint32_t>(
      crc32_combine64(old.crc32, r.new_crc, static_cast<z_off64_t>(r.new_bytes)));
  check_member_crc(entry, crc);
  report.add_phase("prefix_check", r.verify_ms);
  report.bytes_inflated = r.total - start;
  report.rows_processed = parser.rows();

  ClientState& s = delta.state;
  s = old;
  s.file = entry.archive_path;
  s.rows = old.rows + parser.rows();
  s.lines = parser.lines();
  s.bytes = r.total;
  s.crc32 = entry.crc32;
  s.unterminated = parser.ended_unterminated();
  if (r.new_bytes > 0) s.segments.push_back(Segment{r.total, s.lines, r.new_hash});
  s.checkpoints = std::move(captured);
}

// Inflates from `resume` (from the start when null), checks the consumed bytes against the state
// and aggregates the rest into `delta`. Throws HistoryChanged when the check fails. ISA-L does the
// inflating; should anything fail, the verdict is taken again by zlib alone from the stream's
// start, every consumed byte checked against the state's segments: a checkpoint placed wrongly or a
// fault in the fast path can cost time, never a wrong "history changed".
void consume_tail(const Drop& drop, const ClientState& old, const Checkpoint* resume, Delta& delta,
                  RunReport& report, int threads) {
  const RunReport before = report;
  try {
    consume_tail_once(drop, old, resume, delta, report, threads, /*bulk=*/true);
  } catch (const std::exception&) {
    report = before;
    delta = Delta{};
    consume_tail_once(drop, old, nullptr, delta, report, threads, /*bulk=*/false);
  }
}

// The caller's write of a tail's groups, run while the prefix proof completes, and its undo for
// when the proof rejects the tail it wrote (also after a write that failed part way).
struct OverlappedWrite {
  std::function<void(const Delta&)> write;
  std::function<void()> undo;
};

// Proves the state's bytes are this file's prefix and aggregates the rest. Throws HistoryChanged.
// With two threads a second thread hashes the compressed prefix (the only step whose cost grows
// with history) while this one resumes the tail speculatively from the furthest checkpoint,
// inflating and parsing it in one pass, then writes its groups (`overlap`) and joins the hashing
// if any is left. The speculation, write included, is kept only if that checkpoint is the one the
// hashes prove. Returns whether overlap.write ran and stands. (Measured on a 100K-row tail:
// inflating on one thread and parsing on another made the tail no faster, only less steady.)
bool apply_tail(const Drop& drop, const ClientState& old, Delta& delta, RunReport& report,
                int threads, const OverlappedWrite& overlap) {
  const ZipEntry& entry = drop.entry();
  if (entry.uncompressed_size < old.bytes) {
    throw HistoryChanged(
        0, fmt::format("history changed: the file holds {} bytes, {} were already consumed",
                       entry.uncompressed_size, old.bytes));
  }
  PrefixProof proof(drop, checkpoint_prefix_ends(entry, old.checkpoints));
  double prove_ms = 0;  // hashing time, on either thread
  auto prove = [&] {
    const auto t = Clock::now();
    proof.finish();
    prove_ms += ms_since(t);
    return best_matching_checkpoint(drop, old.checkpoints,
                                    [&](uint64_t end) { return proof.digest(end); });
  };
  int candidate = -1;
  for (size_t i = 0; i < old.checkpoints.size(); ++i) {
    const Checkpoint& c = old.checkpoints[i];
    if (!checkpoint_fits(entry, c)) continue;
    if (candidate < 0 || c.in_byte > old.checkpoints[static_cast<size_t>(candidate)].in_byte) {
      candidate = static_cast<int>(i);
    }
  }
  int match = -1;
  bool done = false;
  bool written = false;
  if (threads >= 2 && candidate >= 0) {
    const RunReport before = report;
    bool failed = false;
    double prover_ms = 0;
    std::thread prover([&, this_cpu = current_cpu()] {
      avoid_cpu(this_cpu);
      const auto t = Clock::now();
      while (proof.work()) {
      }
      prover_ms = ms_since(t);
    });
    try {
      consume_tail_once(drop, old, &old.checkpoints[static_cast<size_t>(candidate)], delta, report,
                        threads, /*bulk=*/true);
    } catch (...) {
      failed = true;  // judged below, once the proof says whether this checkpoint counts
    }
    bool wrote = false;              // overlap.write ran, or failed part way
    std::exception_ptr write_error;  // judged below too: the groups may come from a wrong stream
    if (!failed) {
      wrote = true;
      try {
        overlap.write(delta);
      } catch (...) {
        write_error = std::current_exception();
      }
    }
    try {
      match = prove();
    } catch (...) {
      prover.join();
      throw;
    }
    prover.join();
    prove_ms += prover_ms;
    if (match == candidate && !failed) {
      if (write_error) std::rethrow_exception(write_error);
      done = true;
      written = wrote;
    } else {
      if (wrote) overlap.undo();
      report = before;  // the speculation read a stream the proof rejects, or failed: start over
      delta = Delta{};
      if (match == candidate) {
        // The proven checkpoint failed: zlib alone judges, from the stream's start (see above).
        consume_tail_once(drop, old, nullptr, delta, report, threads, /*bulk=*/false);
        done = true;
      }
    }
  } else {
    match = prove();
  }
  report.add_phase("prefix_check", prove_ms);
  if (!done) {
    consume_tail(drop, old, match >= 0 ? &old.checkpoints[static_cast<size_t>(match)] : nullptr,
                 delta, report, threads);
  }
  // The new checkpoints' prefix hashes, from the proven prefix on when they all lie past it.
  const auto t = Clock::now();
  std::vector<Checkpoint>& fresh = delta.state.checkpoints;
  uint64_t from = 0, hash_from = 0;
  if (match >= 0) {
    const uint64_t proven = old.checkpoints[static_cast<size_t>(match)].prefix_end();
    if (std::all_of(fresh.begin(), fresh.end(),
                    [&](const Checkpoint& c) { return c.prefix_end() >= proven; })) {
      from = proven;
      hash_from = proof.digest(proven);
    }
  }
  fill_compressed_hashes(drop, fresh, from, hash_from);
  report.add_phase("prefix_check", ms_since(t));
  return written;
}

}  // namespace

RunReport run_incremental(const RunOptions& o) {
  const auto t0 = Clock::now();
  RunReport report = begin_report(o);
  const Drop drop(report.file);
  const ZipEntry& entry = drop.entry();

  // No database yet: read the whole file before creating one, so bad input leaves no file behind.
  std::optional<Delta> first;
  struct stat db_stat {};
  if (::stat(o.db_path.c_str(), &db_stat) != 0) {
    first.emplace();
    full_scan(drop, first->table, first->state, report, effective_threads(o.threads));
  }

  auto t = Clock::now();
  DbSession session(o.db_path, o.busy_timeout_ms);
  SqliteStore& store = session.store();
  WriteTransaction tx(store.db());  // the write lock first: concurrent runs serialize here
  store.ensure_schema();
  const std::optional<ClientState> old = store.load_state(o.client);
  report.add_phase("state_read", ms_since(t));

  if (old && old->day > o.day) {
    fail(report.file,
         fmt::format("expected a day at or after the stored state's day {} for {}, found day {} "
                     "(run --mode full to rebuild from an older day)",
                     old->day, o.client, o.day));
  }
  if (old && old->day == o.day && old->bytes == entry.uncompressed_size &&
      old->crc32 == entry.crc32) {
    report.path = "noop";
    report.note = fmt::format("already through day {}, nothing to do", o.day);
    report.rows_in_file = old->rows;
    report.total_ms = ms_since(t0);
    report.add_phase("total", report.total_ms);
    return report;  // the transaction rolls back: nothing changed
  }

  Delta delta;
  bool rebuild = !old || old->bytes == 0;
  bool written = false;  // the tail's groups are in the table already
  uint64_t new_keys = 0;
  double write_ms = 0;
  std::optional<Savepoint> before_write;
  const OverlappedWrite overlap{[&](const Delta& d) {
                                  const auto tw = Clock::now();
                                  before_write.emplace(store.db(), "tail");
                                  new_keys = store.add_to_client(o.client, d.table);
                                  write_ms += ms_since(tw);
                                },
                                [&] {
                                  if (before_write) before_write->rollback();
                                }};
  if (!rebuild) {
    try {
      written = apply_tail(drop, *old, delta, report, effective_threads(o.threads), overlap);
    } catch (const HistoryChanged& h) {
      report.rebuilt =
          h.line > 0 ? fmt::format("history changed at line {}", h.line) : std::string(h.what());
      if (auto line = locate_changed_line(old->file, entry, old->bytes)) {
        report.rebuilt = fmt::format("history changed at line {}", *line);
      }
      rebuild = true;
    }
  }
  if (rebuild) {
    report.path = old ? "rebuilt" : "first-run";
    if (first && !old) {
      delta = std::move(*first);  // scanned before the database existed; still no state: use it
    } else {
      report.phases_ms.erase(std::remove_if(report.phases_ms.begin(), report.phases_ms.end(),
                                            [](const auto& p) { return p.first != "state_read"; }),
                             report.phases_ms.end());
      delta = Delta{};
      full_scan(drop, delta.table, delta.state, report, effective_threads(o.threads));
    }
    report.rows_processed = delta.state.rows;
  }

  t = Clock::now();
  ClientState& s = delta.state;
  s.client = o.client;
  s.day = o.day;
  s.mode = "incremental";
  if (rebuild) {
    store.replace_client(o.client, delta.table);
    s.groups = delta.table.size();
  } else {
    if (!written) new_keys = store.add_to_client(o.client, delta.table);
    s.groups = old->groups + new_keys;
  }
  store.save_state(s);
  tx.commit();
  report.add_phase("db_write", ms_since(t) + write_ms);
  report.rows_in_file = s.rows;
  report.groups_written = delta.table.size();
  report.total_ms = ms_since(t0);
  report.add_phase("total", report.total_ms);
  return report;
}

}  // namespace snapdelta
