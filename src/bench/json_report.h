// JsonReport: results.json, the machine-readable contract for tooling.
// Contract (schema "snapdelta-bench/2"; keys always present unless noted; times in ms, memory in
// KB; figures are medians; a value that was not measured is null, never 0):
//   speedup (full.total_ms / incremental.total_ms, null when not computable), speedup_basis,
//   speedup_pairs {median,min,max,n} (the same ratio per side-by-side pair), speedup_in_process,
//   memory_reduction_pct, exact (bool), exactness {groups, difference_count, differences[],
//   pairs_compared}, noise (one sentence), conditions {client, day, file, rows_in_file, new_rows,
//   groups, total_quantity (the built-in job's; 0 for a job file), job {file (null: the built-in
//   job), tables (text)}, repeat, day_runs, quick, process_floor_rss_kb, load_average_start,
//   load_average_end, cpu_model, cores, ...}, full / incremental {total_ms (whole-process wall,
//   parent's clock), in_process_total_ms, cpu_ms, peak_rss_kb, phases_ms {<phase>: median},
//   rows_in_file, rows_processed, groups_written, paths[], stats
//   {wall_ms|in_process_total_ms|cpu_ms|peak_rss_kb: {median,min,max,n}, phases_ms {<phase>:
//   {median,min,max,n}}}, runs[]}, days [{day, samples ("day_runs" | "repeated_pairs": day K is the
//   same samples as full /
//     incremental), n, rows_in_file, new_rows, groups, full_ms, incremental_ms, full_in_process_ms,
//     incremental_in_process_ms, full_peak_rss_kb, incremental_peak_rss_kb, incremental_path,
//     speedup, exact, stats {full|incremental: {wall_ms|in_process_total_ms|cpu_ms|peak_rss_kb:
//     {median,min,max,n}}}}] (one per day 1..K),
//   peers (only when --peers): {ran, skipped, after_date, node_version, ratio_basis,
//   results[{engine,
//     version, mode, median_ms, min_ms, max_ms, n, in_process_ms, cpu_ms, peak_rss_kb, rows_read,
//     rows_used, groups, total_quantity, ratio_vs_snapdelta_full, ratio_vs_snapdelta_same_mode,
//     matches_snapdelta, stats {wall_ms|cpu_ms|peak_rss_kb|in_process_ms: {median,min,max,n} or
//     null}}], mismatches[]}. Startup rows have null work figures.
//   containers (null without --container): container_report.h; fleet (null without --fleet):
//   fleet_report.h.
//   builtin_beside (null unless the bench ran a job file): {ran, skipped (why not, or null),
//   ratio_basis, full, incremental: {job, builtin: {wall_ms|in_process_total_ms|cpu_ms|
//   peak_rss_kb: {median,min,max,n}}, wall_ratio, cpu_ratio, peak_rss_ratio (job / built-in)}}.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "bench/bench_results.h"

namespace snapdelta::bench {

nlohmann::ordered_json to_json(const BenchResults& results);
void write_json_report(const BenchResults& results, const std::string& path);

}  // namespace snapdelta::bench
