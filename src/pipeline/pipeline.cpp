#include "pipeline/pipeline.h"

#include <fmt/format.h>

#include "common/error.h"
#include "pipeline/lazy_store.h"
#include "pipeline/run_driver.h"

namespace snapdelta {

RunReport run_pipeline(const RunOptions& o) {
  if (o.client.empty()) throw Error("run: expected a client name, found an empty one");
  if (o.day < 1) throw Error(fmt::format("run: expected a day >= 1, found {}", o.day));
  LazyStore store(store_options(o), *o.job);
  DriveResult result;
  drive(store, o, Locking::lock_first, result);
  return result.report;
}

}  // namespace snapdelta
