#include "pipeline/speculative_tail.h"

#include <algorithm>
#include <exception>
#include <thread>

#include "common/stopwatch.h"
#include "common/thread_placement.h"
#include "pipeline/checkpoint_records.h"

namespace snapdelta {
namespace {

ScanResult with_verdict(Verdict verdict) {
  ScanResult r;
  r.verdict = verdict;
  return r;
}

}  // namespace

SpeculativeTail::SpeculativeTail(const Drop& drop, const ClientState& consumed, int threads)
    : drop_(drop),
      old_(consumed),
      threads_(threads),
      points_(resume_points(consumed.checkpoints)),
      proof_(drop, checkpoint_prefix_ends(drop.entry(), points_)) {}

const Checkpoint* SpeculativeTail::checkpoint(int index) const {
  return index < 0 ? nullptr : &points_[static_cast<size_t>(index)];
}

ScanRequest SpeculativeTail::request(const Checkpoint* resume) const {
  const bool big_tail = drop_.entry().uncompressed_size - old_.bytes >= kThreadedTail;
  return ScanRequest{drop_, old_, resume, big_tail ? threads_ : 1};
}

ScanResult SpeculativeTail::speculate(TailWriter& writer) {
  const int candidate = furthest_fitting_checkpoint(drop_.entry(), points_);
  if (threads_ >= 2 && candidate >= 0) return speculate_from(candidate, writer);
  prove();
  return with_verdict(Verdict::not_proven);
}

// The speculation's outcome is judged only once the proof says whether its checkpoint counts:
// from a checkpoint the proof rejects, any failure is expected.
ScanResult SpeculativeTail::speculate_from(int candidate, TailWriter& writer) {
  ScanResult r;
  std::exception_ptr write_error;  // a fault, if the proof says the groups were right
  double prover_ms = 0;
  {
    std::jthread prover([this, &prover_ms, this_cpu = current_cpu()] {
      avoid_cpu(this_cpu);
      const auto t = Clock::now();
      while (proof_.work()) {
      }
      prover_ms = ms_since(t);
    });
    r = scan_fast(request(checkpoint(candidate)));
    if (r.verdict == Verdict::consumed) {
      try {
        writer.write(r.scan.table);
      } catch (...) {
        write_error = std::current_exception();
      }
    }
    prove();  // joins the hashing; the prover thread is joined when this scope ends
  }
  prove_ms_ += prover_ms;
  if (match_ != candidate) {
    writer.undo();
    return with_verdict(Verdict::not_proven);
  }
  if (write_error) std::rethrow_exception(write_error);
  if (r.verdict != Verdict::consumed) {
    // The proven checkpoint failed to resume, or its tail failed its check: zlib alone judges.
    writer.undo();
    return with_verdict(Verdict::fast_path_failed);
  }
  return r;
}

void SpeculativeTail::prove() {
  const auto t = Clock::now();
  proof_.finish();
  prove_ms_ += ms_since(t);
  match_ =
      best_matching_checkpoint(drop_, points_, [&](uint64_t end) { return proof_.digest(end); });
}

// The new checkpoints' prefix hashes, from the proven prefix on when they all lie past it.
void SpeculativeTail::finish(ScanResult& result) {
  const auto t = Clock::now();
  std::vector<Checkpoint>& fresh = result.scan.checkpoints;
  uint64_t from = 0, hash_from = 0;
  if (const Checkpoint* proven = checkpoint(match_)) {
    if (std::all_of(fresh.begin(), fresh.end(),
                    [&](const Checkpoint& c) { return c.prefix_end() >= proven->prefix_end(); })) {
      from = proven->prefix_end();
      hash_from = proof_.digest(from);
    }
  }
  fill_compressed_hashes(drop_, fresh, from, hash_from);
  result.phases.add(Phase::prefix_check, prove_ms_ + ms_since(t));
}

}  // namespace snapdelta
