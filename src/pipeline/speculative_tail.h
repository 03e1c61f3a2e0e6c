// SpeculativeTail: the steps of the incremental plan that prove the stored state still describes
// the new drop's prefix, each returning what happened (the plan chains them, plan.cpp):
//   speculate(): resume the tail from the furthest checkpoint that fits, inflate and parse it in
//     one pass and write its groups (TailWriter), while a second thread hashes the compressed
//     prefix (the one cost that grows with history); then finish the proof and keep the
//     speculation, write included, only if the proof names the checkpoint it started from.
//     Verdict consumed (kept), not_proven (undone: consume from from_proven()), fast_path_failed
//     (the proven checkpoint failed to resume: undone, zlib must read from_start()) or
//     history_changed (the tail's own check failed at the proven checkpoint). With one thread, or
//     no checkpoint that fits, it only proves (not_proven).
//   from_proven(): the scan that consumes from the proven checkpoint, or from the stream's start
//     (inflate-all, every consumed segment checked) when none is proven.
//   finish(): the new checkpoints' compressed hashes (from the proven prefix on when it can) and
//     the proof's time as the prefix_check phase.
// Contract: speculate() once, before the others; a rejected speculation's writes are undone.
#pragma once

#include <vector>

#include "pipeline/drop_scan.h"
#include "pipeline/tail_writer.h"
#include "source/checkpoint.h"
#include "source/drop.h"
#include "source/prefix_proof.h"
#include "store/client_state.h"

namespace snapdelta {

class SpeculativeTail {
 public:
  SpeculativeTail(const Drop& drop, const ClientState& consumed, int threads);
  SpeculativeTail(const SpeculativeTail&) = delete;
  SpeculativeTail& operator=(const SpeculativeTail&) = delete;

  ScanResult speculate(TailWriter& writer);
  ScanRequest from_proven() const { return request(checkpoint(match_)); }
  ScanRequest from_start() const { return request(nullptr); }
  void finish(ScanResult& result);

 private:
  ScanResult speculate_from(int candidate, TailWriter& writer);
  void prove();
  const Checkpoint* checkpoint(int index) const;
  ScanRequest request(const Checkpoint* resume) const;

  const Drop& drop_;
  const ClientState& old_;
  int threads_;
  std::vector<Checkpoint> points_;  // old_'s checkpoints as resume points
  PrefixProof proof_;
  int match_ = -1;       // the proven checkpoint, or -1
  double prove_ms_ = 0;  // hashing time, on either thread
};

}  // namespace snapdelta
