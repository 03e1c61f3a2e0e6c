// run_full: the full plan of `snapdelta run` (see pipeline.h): read and aggregate the whole drop,
// then replace the client's rows, save the state and log the run in one transaction.
#pragma once

#include "pipeline/run_options.h"
#include "pipeline/run_report.h"

namespace snapdelta {

RunReport run_full(const RunOptions& options);

}  // namespace snapdelta
