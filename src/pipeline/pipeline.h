// `snapdelta run`: the two plans over one drop, driven with the write lock first (run_driver.h).
// Contract:
// - full: aggregate the whole file, then in ONE transaction replace the client's rows and record
//   the state "through day K".
// - incremental: under the write lock, read the state; prove the consumed bytes are still this
//   file's prefix (compressed-prefix checkpoint, else inflate-all with segment hashes); parse only
//   the rest; add the delta and save the new state in ONE transaction. No state: the whole file.
//   Same file already consumed: no-op. History changed: rebuild the client in the same transaction.
//   State after the requested day: Error, nothing changes.
// Every failure throws snapdelta::Error with nothing written.
#pragma once

#include "pipeline/run_options.h"
#include "pipeline/run_report.h"

namespace snapdelta {

RunReport run_pipeline(const RunOptions& options);

}  // namespace snapdelta
