// JsonReport: results.json, the machine-readable contract for tooling.
// Contract (keys always present unless noted; times in ms, memory in KB, figures are medians):
//   speedup (number: full.total_ms / incremental.total_ms), speedup_in_process,
//   memory_reduction_pct, exact (bool), exactness {groups, difference_count, differences[],
//   pairs_compared}, conditions {client, day, file, rows_in_file, new_rows, groups, repeat,
//   cpu_model, cores, ...}, full / incremental {total_ms (whole-process wall, parent's clock),
//   in_process_total_ms, cpu_ms,
//     peak_rss_kb, phases_ms {<phase>: median}, rows_in_file, rows_processed, groups_written,
//     paths[], stats {wall_ms|in_process_total_ms|cpu_ms|peak_rss_kb: {median,min,max,n},
//            phases_ms {<phase>: {median,min,max,n}}}, runs[]},
//   days [{day, rows_in_file, new_rows, full_ms, incremental_ms, ..., exact}] (one per day 1..K),
//   peers (only when --peers): {ran, skipped, after_date, node_version, results[{engine, mode,
//     version, median_ms, min_ms, max_ms, peak_rss_kb, ratio_vs_snapdelta_full, ...}],
//     mismatches[]}.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "bench/bench_results.h"

namespace snapdelta::bench {

nlohmann::ordered_json to_json(const BenchResults& results);
void write_json_report(const BenchResults& results, const std::string& path);

}  // namespace snapdelta::bench
