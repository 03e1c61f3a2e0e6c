// SpeculativeTail: the incremental plan's proof that the stored state still describes the new
// drop's prefix, and the parse of what follows it, in named steps:
//   1. speculate: resume the tail from the furthest checkpoint that fits, inflate and parse it in
//      one pass, and write its groups (TailWriter), while a second thread hashes the compressed
//      prefix (the one cost that grows with history);
//   2. prove: finish the hashing and name the furthest checkpoint whose prefix hash matches;
//   3. keep or undo: the speculation, write included, stands only if the proof names the
//      checkpoint it started from; otherwise it is undone;
//   4. consume from the proven point: resume from the proven checkpoint, or inflate everything
//      and check every consumed segment (scan_drop), when the speculation did not stand.
// Contract: run() leaves in `out` the tail's groups and the new state (with compressed hashes for
// its checkpoints); the groups are in the table already when writer.written(). Throws
// HistoryChanged when the consumed bytes are not this drop's prefix (nothing it wrote stands) and
// snapdelta::Error for bad input. With one thread it proves first and never speculates.
#pragma once

#include <exception>

#include "pipeline/drop_scan.h"
#include "pipeline/run_report.h"
#include "pipeline/tail_writer.h"
#include "source/drop.h"
#include "source/prefix_proof.h"
#include "store/client_state.h"

namespace snapdelta {

class SpeculativeTail {
 public:
  SpeculativeTail(const Drop& drop, const ClientState& consumed, int threads, RunReport& report);
  SpeculativeTail(const SpeculativeTail&) = delete;
  SpeculativeTail& operator=(const SpeculativeTail&) = delete;

  void run(TailWriter& writer, Scan& out);

 private:
  enum class Outcome { stands, rejected };
  struct Speculation {
    std::exception_ptr scan_error;   // the tail could not be read from the checkpoint
    std::exception_ptr write_error;  // its groups could not be written
  };

  Outcome speculate(int candidate, TailWriter& writer, Scan& out);
  Speculation scan_and_write(int candidate, TailWriter& writer, Scan& out);
  void prove();
  void consume_from_proven_point(Scan& out);
  void hash_new_checkpoints(Scan& out);
  const Checkpoint* checkpoint(int index) const;
  ScanRequest request(const Checkpoint* resume) const;

  const Drop& drop_;
  const ClientState& old_;
  int threads_;
  RunReport& report_;
  PrefixProof proof_;
  int match_ = -1;       // the proven checkpoint, or -1
  double prove_ms_ = 0;  // hashing time, on either thread
};

}  // namespace snapdelta
