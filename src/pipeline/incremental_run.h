// run_incremental: the incremental plan of `snapdelta run` (see pipeline.h): the client's write
// lock first, the state read under it, then Plan::prepare (the tail's groups written while the
// prefix proof completes) and Plan::commit. A missing database is created only after the whole
// drop was read, so bad input leaves no file behind.
#pragma once

#include "pipeline/run_options.h"
#include "pipeline/run_report.h"

namespace snapdelta {

RunReport run_incremental(const RunOptions& options);

}  // namespace snapdelta
