#include "pipeline/run_options.h"

namespace snapdelta {

std::string_view to_string(HistoryPolicy policy) {
  return policy == HistoryPolicy::fail ? "fail" : "rebuild";
}

std::optional<HistoryPolicy> parse_history_policy(std::string_view text) {
  if (text == "rebuild") return HistoryPolicy::rebuild;
  if (text == "fail") return HistoryPolicy::fail;
  return std::nullopt;
}

StoreOptions store_options(const RunOptions& o) {
  StoreOptions where{o.db_path, StoreOpen::create_if_missing, o.busy_timeout_ms};
  if (o.rebuild_job) where.job_change = JobChange::rebuild;
  return where;
}

}  // namespace snapdelta
