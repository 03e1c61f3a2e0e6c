#include "pipeline/pipeline.h"

#include <fmt/format.h>

#include "common/error.h"
#include "pipeline/full_run.h"
#include "pipeline/incremental_run.h"

namespace snapdelta {

RunReport run_pipeline(const RunOptions& o) {
  if (o.client.empty()) throw Error("run: expected a client name, found an empty one");
  if (o.day < 1) throw Error(fmt::format("run: expected a day >= 1, found {}", o.day));
  return o.mode == RunMode::full ? run_full(o) : run_incremental(o);
}

}  // namespace snapdelta
