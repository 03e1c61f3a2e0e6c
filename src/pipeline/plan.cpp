#include "pipeline/plan.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "common/thread_placement.h"
#include "pipeline/speculative_tail.h"
#include "pipeline/verified_rebuild.h"

namespace snapdelta {
namespace {

void refuse_older_day(const RunOptions& o, const std::optional<ClientState>& old,
                      const std::string& file) {
  if (old && old->day > o.day) {
    fail(file, fmt::format("expected a day at or after the stored state's day {} for {}, found day "
                           "{} (run --mode full to rebuild from an older day)",
                           old->day, o.client, o.day));
  }
}

}  // namespace

bool already_applied(int day, const std::optional<ClientState>& old, const ZipEntry& entry) {
  return old && old->day == day && old->bytes == entry.uncompressed_size &&
         old->crc32 == entry.crc32;
}

Plan::Plan(const RunOptions& o, const Drop& drop, RunReport& report, Clock::time_point t0)
    : o_(o), drop_(drop), report_(report), t0_(t0), threads_(effective_threads(o.threads)) {}

Prepared Plan::prepare(const std::optional<ClientState>& basis, TailWriter& writer) {
  Prepared p;
  p.basis = basis;
  if (o_.mode == RunMode::full) {
    report_.path = p.route = Route::full;
    p.scan = scan_whole_drop(drop_, threads_, report_);
    return p;
  }
  refuse_older_day(o_, basis, report_.file);
  if (already_applied(o_.day, basis, drop_.entry())) {
    report_.path = p.route = Route::noop;
    report_.note = fmt::format("already through day {}, nothing to do", o_.day);
    report_.rows_in_file = basis->rows;
    return p;
  }
  prepare_incremental(p, writer);
  return p;
}

void Plan::prepare_incremental(Prepared& p, TailWriter& writer) {
  const std::optional<ClientState>& old = p.basis;
  if (old && old->bytes > 0 && tail_applies(*old, writer, p.scan)) {
    p.route = report_.path;  // checkpoint or inflate-all, as the scan went
    return;
  }
  report_.path = p.route = old ? Route::rebuilt : Route::first_run;
  if (!old || old->bytes == 0) {
    keep_state_read_phase();
    p.scan = scan_whole_drop(drop_, threads_, report_);
  }  // else: the verified rebuild's scan is in p.scan already
  report_.rows_processed = p.scan.state.rows;
}

// Adds the tail after the state's bytes to `delta`. When the tail's check says history changed,
// a rebuild that proves it leaves the whole file's groups in `delta` and returns false
// (report_.rebuilt says how), or, with HistoryPolicy::fail, throws an Error naming the change;
// should every consumed byte prove unchanged, zlib alone reads the tail.
bool Plan::tail_applies(const ClientState& old, TailWriter& writer, Scan& delta) {
  const RunReport before = report_;
  try {
    SpeculativeTail(drop_, old, threads_, report_).run(writer, delta);
    return true;
  } catch (const HistoryChanged&) {
    keep_state_read_phase();
    Rebuild r = verified_rebuild(drop_, old, threads_, report_);
    if (!r.changed.empty()) {
      if (o_.on_history_change == HistoryPolicy::fail) {
        fail(report_.file,
             fmt::format("{}; {} left as it was (--on-history-change fail)", r.changed, o_.client));
      }
      report_.rebuilt = std::move(r.changed);
      delta = std::move(r.scan);
      return false;
    }
  }
  rescan_with_zlib(ScanRequest{drop_, old, nullptr, threads_}, before, delta, report_);
  return true;
}

// A rebuild reports its own phases: only the state read stays from before it.
void Plan::keep_state_read_phase() {
  auto& phases = report_.phases_ms;
  phases.erase(std::remove_if(phases.begin(), phases.end(),
                              [](const auto& ph) { return ph.first != "state_read"; }),
               phases.end());
}

bool Plan::replaces(const Prepared& p) const {
  return p.route != Route::checkpoint && p.route != Route::inflate_all;
}

void Plan::commit(ClientWrite& write, Prepared& p, const TailWriter& writer) {
  if (p.route == Route::noop)
    throw Error(fmt::format("{}: a no-op has nothing to commit", o_.client));
  const auto t = Clock::now();
  ClientState& s = p.scan.state;
  if (replaces(p)) {
    write.replace_rows(p.scan.table);
    s.groups = p.scan.table.size();
  } else {
    const uint64_t new_keys = writer.written() ? writer.new_keys() : write.add_rows(p.scan.table);
    s.groups = p.basis->groups + new_keys;
  }
  s.client = o_.client;
  s.day = o_.day;
  s.mode = std::string(to_string(o_.mode));
  write.save_state(s);
  report_.rows_in_file = s.rows;
  report_.groups_written = p.scan.table.size();
  write.log_run(report_.log_entry(ms_since(t0_)));
  write.commit();
  report_.add_phase("db_write", ms_since(t) + writer.ms());
}

}  // namespace snapdelta
