// The incremental plan (see pipeline.h for the contract): under the client's write lock, read
// the state; a same-drop rerun is a no-op; otherwise prove the consumed bytes are still this
// drop's prefix and add only what follows (SpeculativeTail), or, with no state or a changed
// history, rebuild the client from this drop; rows and state commit together.
#pragma once

#include "pipeline/run_options.h"
#include "pipeline/run_report.h"

namespace snapdelta {

RunReport run_incremental(const RunOptions& options);

}  // namespace snapdelta
