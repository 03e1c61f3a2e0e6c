#include "pipeline/proven_resume.h"

#include <exception>
#include <thread>

#include "common/stopwatch.h"
#include "common/thread_placement.h"
#include "source/hash_combine.h"
#include "source/prefix_proof.h"

namespace snapdelta {

uint64_t chained_hash(const std::vector<Segment>& segments) {
  uint64_t hash = 0, begin = 0;
  for (const Segment& s : segments) {
    hash = hash64_combine(hash, s.hash, s.end - begin);
    begin = s.end;
  }
  return hash;
}

ScanResult resume_proven(const StreamScanRequest& req, uint64_t prefix_end, uint64_t expected,
                         TailWriter& writer) {
  ScanResult r;
  r.verdict = Verdict::not_proven;
  if (prefix_end > req.drop.entry().compressed_size) return r;
  PrefixProof proof(req.drop, {prefix_end});
  std::exception_ptr error;
  double prover_ms = 0;
  {
    std::jthread prover([&proof, &prover_ms, this_cpu = current_cpu()] {
      avoid_cpu(this_cpu);
      const auto t0 = Clock::now();
      while (proof.work()) {
      }
      prover_ms = ms_since(t0);
    });
    try {
      r = scan_stream(req);
      // The tail's groups go in while the prefix is still being hashed; undone below if it fails.
      if (r.verdict == Verdict::consumed) writer.write(r.scan.table);
    } catch (...) {
      error = std::current_exception();
    }
    proof.finish();
  }
  if (proof.digest(prefix_end) != expected) {
    writer.undo();
    ScanResult discarded;
    discarded.verdict = Verdict::not_proven;
    return discarded;
  }
  if (error) std::rethrow_exception(error);
  r.phases.add(Phase::prefix_check, prover_ms);
  return r;
}

}  // namespace snapdelta
