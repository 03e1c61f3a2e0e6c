// The incremental plan (see pipeline.h for the contract). Kept apart because it owns the proof
// that stored state still describes the new file's prefix.
#pragma once

#include "pipeline/run_options.h"
#include "pipeline/run_report.h"

namespace snapdelta {

RunReport run_incremental(const RunOptions& options);

}  // namespace snapdelta
