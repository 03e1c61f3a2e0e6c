#include "pipeline/speculative_tail.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <thread>

#include "common/error.h"
#include "common/stopwatch.h"
#include "common/thread_placement.h"
#include "csv/transaction_parser.h"

namespace snapdelta {
namespace {

// A second parsing thread pays off only when there is much to parse. (Measured on a 100K-row
// tail: inflating on one thread and parsing on another made the tail no faster, only less steady.)
constexpr uint64_t kThreadedTail = 16 << 20;

}  // namespace

SpeculativeTail::SpeculativeTail(const Drop& drop, const ClientState& consumed, int threads,
                                 RunReport& report)
    : drop_(drop),
      old_(consumed),
      threads_(threads),
      report_(report),
      proof_(drop, checkpoint_prefix_ends(drop.entry(), consumed.checkpoints)) {}

const Checkpoint* SpeculativeTail::checkpoint(int index) const {
  return index < 0 ? nullptr : &old_.checkpoints[static_cast<size_t>(index)];
}

ScanRequest SpeculativeTail::request(const Checkpoint* resume) const {
  const bool big_tail = drop_.entry().uncompressed_size - old_.bytes >= kThreadedTail;
  return ScanRequest{drop_, old_, resume, big_tail ? threads_ : 1};
}

void SpeculativeTail::run(TailWriter& writer, Scan& out) {
  const uint64_t size = drop_.entry().uncompressed_size;
  if (size < old_.bytes) {
    throw HistoryChanged(
        0, fmt::format("history changed: the file holds {} bytes, {} were already consumed", size,
                       old_.bytes));
  }
  const int candidate = furthest_fitting_checkpoint(drop_.entry(), old_.checkpoints);
  Outcome outcome = Outcome::rejected;
  if (threads_ >= 2 && candidate >= 0) {
    outcome = speculate(candidate, writer, out);
  } else {
    prove();
  }
  report_.add_phase("prefix_check", prove_ms_);
  if (outcome == Outcome::rejected) consume_from_proven_point(out);
  hash_new_checkpoints(out);
}

// Steps 1-3. The speculation's failures are judged only once the proof says whether its
// checkpoint counts: from a checkpoint the proof rejects, any failure is expected.
SpeculativeTail::Outcome SpeculativeTail::speculate(int candidate, TailWriter& writer, Scan& out) {
  const RunReport before = report_;
  Speculation s;
  double prover_ms = 0;
  {
    std::jthread prover([this, &prover_ms, this_cpu = current_cpu()] {
      avoid_cpu(this_cpu);
      const auto t = Clock::now();
      while (proof_.work()) {
      }
      prover_ms = ms_since(t);
    });
    s = scan_and_write(candidate, writer, out);
    prove();  // joins the hashing; the prover thread is joined when this scope ends
  }
  prove_ms_ += prover_ms;
  if (match_ == candidate && !s.scan_error) {
    if (s.write_error) std::rethrow_exception(s.write_error);  // the groups were right: a fault
    return Outcome::stands;
  }
  writer.undo();
  report_ = before;  // the speculation read a stream the proof rejects, or failed: start over
  out = Scan{};
  if (match_ != candidate) return Outcome::rejected;
  // The proven checkpoint failed to resume: zlib alone judges, from the stream's start.
  rescan_with_zlib(request(nullptr), before, out, report_);
  return Outcome::stands;
}

SpeculativeTail::Speculation SpeculativeTail::scan_and_write(int candidate, TailWriter& writer,
                                                             Scan& out) {
  Speculation s;
  try {
    scan_drop_once(request(checkpoint(candidate)), out, report_);
  } catch (...) {
    s.scan_error = std::current_exception();
    return s;
  }
  try {
    writer.write(out.table);
  } catch (...) {
    s.write_error = std::current_exception();
  }
  return s;
}

void SpeculativeTail::prove() {
  const auto t = Clock::now();
  proof_.finish();
  prove_ms_ += ms_since(t);
  match_ = best_matching_checkpoint(drop_, old_.checkpoints,
                                    [&](uint64_t end) { return proof_.digest(end); });
}

void SpeculativeTail::consume_from_proven_point(Scan& out) {
  scan_drop(request(checkpoint(match_)), out, report_);
}

// The new checkpoints' prefix hashes, from the proven prefix on when they all lie past it.
void SpeculativeTail::hash_new_checkpoints(Scan& out) {
  const auto t = Clock::now();
  std::vector<Checkpoint>& fresh = out.state.checkpoints;
  uint64_t from = 0, hash_from = 0;
  if (const Checkpoint* proven = checkpoint(match_)) {
    if (std::all_of(fresh.begin(), fresh.end(),
                    [&](const Checkpoint& c) { return c.prefix_end() >= proven->prefix_end(); })) {
      from = proven->prefix_end();
      hash_from = proof_.digest(from);
    }
  }
  fill_compressed_hashes(drop_, fresh, from, hash_from);
  report_.add_phase("prefix_check", ms_since(t));
}

}  // namespace snapdelta
