#include "bench/builtin_report.h"

#include <fmt/format.h>

#include "bench/report_numbers.h"

namespace snapdelta::bench {
namespace {

std::string ratio_text(const Summary& job, const Summary& builtin) {
  const auto r = builtin_ratio(job, builtin);
  return r ? fmt::format("**{:.2f}×**", *r) : "n/a";
}

std::string ms_row(const char* label, const Summary& job, const Summary& builtin) {
  return fmt::format("| {} | {} ms | {} ms | {} |\n", label, ms(job.median), ms(builtin.median),
                     ratio_text(job, builtin));
}

std::string mib_row(const char* label, const Summary& job, const Summary& builtin) {
  return fmt::format("| {} | {:.1f} MiB | {:.1f} MiB | {} |\n", label, job.median / 1024.0,
                     builtin.median / 1024.0, ratio_text(job, builtin));
}

}  // namespace

std::optional<double> builtin_ratio(const Summary& job, const Summary& builtin) {
  if (job.n == 0 || builtin.n == 0 || builtin.median <= 0) return std::nullopt;
  return job.median / builtin.median;
}

std::string builtin_markdown(const BenchResults& r) {
  if (!r.builtin) return "";
  const BuiltinBeside& b = *r.builtin;
  std::string md = "## The job beside the built-in job\n\n";
  md += fmt::format("The job `{}`: {}.\n\n", r.conditions.job_file.value_or(""),
                    r.conditions.job_tables);
  if (!b.ran())
    return md + fmt::format("The built-in job did not run beside it: {}.\n\n", b.skipped);
  md += fmt::format(
      "The built-in job ran on the same drops, its full and incremental runs alternating with "
      "the job's in each of the {} repeats (each a process of its own, given the built-in job "
      "written as a file, as the job is), so the ratios are measured side by side: what the "
      "job's shape (its keys, measures and tables) costs. Medians.\n\n",
      r.conditions.repeat);
  md += "| | this job | built-in job | job / built-in |\n|---|---|---|---|\n";
  md += ms_row("Full, wall", r.full.wall_ms, b.full.wall_ms);
  md += ms_row("Full, CPU", r.full.cpu_ms, b.full.cpu_ms);
  md += mib_row("Full, peak RSS", r.full.peak_rss_kb, b.full.peak_rss_kb);
  md += ms_row("Incremental, wall", r.incremental.wall_ms, b.incremental.wall_ms);
  md += ms_row("Incremental, CPU", r.incremental.cpu_ms, b.incremental.cpu_ms);
  md += mib_row("Incremental, peak RSS", r.incremental.peak_rss_kb, b.incremental.peak_rss_kb);
  return md + "\n";
}

std::string builtin_summary(const BenchResults& r) {
  const BuiltinBeside& b = *r.builtin;
  if (!b.ran()) return "built-in job not run beside the job: " + b.skipped + "\n";
  const auto x = [](std::optional<double> v) {
    return v ? fmt::format("{:.2f}x", *v) : std::string("n/a");
  };
  return fmt::format("job vs built-in job: full {}, incremental {} (wall medians; CPU {}, {})\n",
                     x(builtin_ratio(r.full.wall_ms, b.full.wall_ms)),
                     x(builtin_ratio(r.incremental.wall_ms, b.incremental.wall_ms)),
                     x(builtin_ratio(r.full.cpu_ms, b.full.cpu_ms)),
                     x(builtin_ratio(r.incremental.cpu_ms, b.incremental.cpu_ms)));
}

}  // namespace snapdelta::bench
