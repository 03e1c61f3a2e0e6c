#include "pipeline/incremental_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "common/error.h"
#include "common/stopwatch.h"
#include "common/thread_placement.h"
#include "csv/transaction_parser.h"
#include "pipeline/drop_scan.h"
#include "pipeline/pipeline.h"
#include "pipeline/speculative_tail.h"
#include "pipeline/verified_rebuild.h"
#include "store/open_store.h"

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

bool already_applied(const RunOptions& o, const std::optional<ClientState>& old,
                     const ZipEntry& entry) {
  return old && old->day == o.day && old->bytes == entry.uncompressed_size &&
         old->crc32 == entry.crc32;
}

// One incremental run, from the state read under the lock to the commit.
class IncrementalRun {
 public:
  IncrementalRun(const RunOptions& o, const Drop& drop, ClientWrite& write, RunReport& report,
                 Clock::time_point t0)
      : o_(o),
        drop_(drop),
        write_(write),
        report_(report),
        threads_(effective_threads(o.threads)),
        t0_(t0) {}

  // `first`: the whole drop, scanned before the database existed (then there is no state).
  void apply(const std::optional<ClientState>& old, std::optional<Scan>& first) {
    TailWriter writer(write_);
    Scan delta;
    if (old && old->bytes > 0 && tail_applies(*old, writer, delta)) {
      commit_tail(*old, writer, delta);
      return;
    }
    report_.path = old ? Route::rebuilt : Route::first_run;
    if (first && !old) {
      delta = std::move(*first);  // scanned before the database existed; still no state: use it
    } else if (!old || old->bytes == 0) {
      keep_state_read_phase();
      delta = scan_whole_drop(drop_, threads_, report_);
    }  // else: the verified rebuild's scan is in delta already
    report_.rows_processed = delta.state.rows;
    commit_rebuild(delta);
  }

 private:
  // Adds the tail after the state's bytes to `delta`. When the tail's check says history changed,
  // a rebuild that proves it leaves the whole file's groups in `delta` and returns false
  // (report_.rebuilt says how); should every consumed byte prove unchanged, zlib reads the tail.
  bool tail_applies(const ClientState& old, TailWriter& writer, Scan& delta) {
    const RunReport before = report_;
    try {
      SpeculativeTail(drop_, old, threads_, report_).run(writer, delta);
      return true;
    } catch (const HistoryChanged&) {
      keep_state_read_phase();
      Rebuild r = verified_rebuild(drop_, old, threads_, report_);
      if (!r.changed.empty()) {
        report_.rebuilt = std::move(r.changed);
        delta = std::move(r.scan);
        return false;
      }
    }
    rescan_with_zlib(ScanRequest{drop_, old, nullptr, threads_}, before, delta, report_);
    return true;
  }

  // A rebuild reports its own phases: only the state read stays from before it.
  void keep_state_read_phase() {
    auto& phases = report_.phases_ms;
    phases.erase(std::remove_if(phases.begin(), phases.end(),
                                [](const auto& p) { return p.first != "state_read"; }),
                 phases.end());
  }

  void commit_tail(const ClientState& old, const TailWriter& writer, Scan& delta) {
    const auto t = Clock::now();
    const uint64_t new_keys = writer.written() ? writer.new_keys() : write_.add_rows(delta.table);
    delta.state.groups = old.groups + new_keys;
    commit(delta, t, writer.ms());
  }

  void commit_rebuild(Scan& delta) {
    const auto t = Clock::now();
    write_.replace_rows(delta.table);
    delta.state.groups = delta.table.size();
    commit(delta, t, 0);
  }

  // Saves the state and commits; the write phase is the time since `t` plus `overlapped_ms`
  // (written while the proof completed).
  void commit(Scan& delta, Clock::time_point t, double overlapped_ms) {
    ClientState& s = delta.state;
    s.client = o_.client;
    s.day = o_.day;
    s.mode = "incremental";
    write_.save_state(s);
    report_.rows_in_file = s.rows;
    report_.groups_written = delta.table.size();
    write_.log_run(report_.log_entry(ms_since(t0_)));
    write_.commit();
    report_.add_phase("db_write", ms_since(t) + overlapped_ms);
  }

  const RunOptions& o_;
  const Drop& drop_;
  ClientWrite& write_;
  RunReport& report_;
  int threads_;
  Clock::time_point t0_;  // when the run began
};

}  // namespace

RunReport run_incremental(const RunOptions& o) {
  const auto t0 = Clock::now();
  RunReport report = begin_report(o);
  const Drop drop(report.file);
  const StoreOptions where = store_options(o);

  // No database yet: read the whole file before creating one, so bad input leaves no file behind.
  std::optional<Scan> first;
  if (!store_exists(where)) first = scan_whole_drop(drop, effective_threads(o.threads), report);

  const auto t = Clock::now();
  const auto store = open_store(where);
  const auto write = store->begin_write(o.client);  // the lock first: concurrent runs serialize
  const std::optional<ClientState> old = write->load_state();
  report.add_phase("state_read", ms_since(t));
  refuse_older_day(o, old, report.file);
  if (already_applied(o, old, drop.entry())) {
    report.path = Route::noop;
    report.note = fmt::format("already through day {}, nothing to do", o.day);
    report.rows_in_file = old->rows;
  } else {
    IncrementalRun(o, drop, *write, report, t0).apply(old, first);
  }
  report.total_ms = ms_since(t0);
  report.add_phase("total", report.total_ms);
  return report;  // a no-op's write is not committed: it rolls back, nothing changed
}

}  // namespace snapdelta
