#include "pipeline/run_driver.h"

#include <fmt/format.h>

#include <optional>
#include <string>

#include "common/error.h"
#include "common/stopwatch.h"
#include "pipeline/plan.h"
#include "source/drop.h"
#include "source/drop_catalog.h"

namespace snapdelta {
namespace {

// How often a client's work may be redone because another writer moved its state meanwhile.
constexpr int kMaxRedos = 100;

// The run's report, assembled from the plan's result: `lead` (connect, the lock and state read)
// first, then the plan's phases.
RunReport report_of(const RunOptions& o, const std::string& file, const Prepared& p,
                    const Phases& lead) {
  RunReport r;
  r.mode = o.mode;
  r.client = o.client;
  r.day = o.day;
  const DropPattern pattern = drops::pattern_or_default(o.job->source.pattern);
  if (pattern.keyed_by_date()) r.date = pattern.key_text(o.day);
  r.file = file;
  r.path = p.route;
  r.rebuilt = p.rebuilt;
  r.rows_processed = p.rows_processed;
  r.bytes_inflated = p.bytes_inflated;
  r.phases = lead;
  r.phases.add(p.phases);
  if (p.route == Route::noop) {
    r.rows_in_file = p.basis ? p.basis->rows : 0;
    r.note = fmt::format("already through day {}, nothing to do", o.day);
  } else {
    r.rows_in_file = p.scan.state.rows;
    r.groups_written = p.scan.table.groups();
  }
  return r;
}

DriveResult noop(const RunOptions& o, const std::string& file, Prepared&& p, Clock::time_point t0,
                 int from_day) {
  DriveResult d{DriveStatus::noop, report_of(o, file, p, Phases{}), from_day};
  d.report.finish(t0);
  return d;
}

// Commits `p` through `write` and finishes its report: the run is applied.
DriveResult apply(const RunOptions& o, const std::string& file, const Plan& plan, Prepared& p,
                  ClientWrite& write, const TailWriter& writer, Phases lead, Clock::time_point t0) {
  DriveResult d{DriveStatus::applied, report_of(o, file, p, lead), 0};
  const double ms = plan.commit(write, p, writer, d.report.log_entry(0), t0);
  d.report.phases.add(Phase::db_write, ms);
  d.report.finish(t0);
  return d;
}

DriveResult drive_locked(LazyStore& store, const RunOptions& o) {
  const auto t0 = Clock::now();
  const std::string file = drops::require_drop(o.data_dir, o.client, o.day,
                                               drops::pattern_or_default(o.job->source.pattern));
  const Drop drop(file, *o.job);
  const Plan plan(o, drop);
  TailWriter no_write(nullptr);
  std::optional<Prepared> early;
  if (o.mode == RunMode::full || !store.exists()) early = plan.prepare(std::nullopt, no_write);
  Store& opened = store.get();
  Phases lead;
  lead.add(Phase::connect, store.take_open_ms());
  const auto t = Clock::now();
  const auto write = opened.begin_write(o.client);
  std::optional<ClientState> old;
  if (o.mode == RunMode::incremental) old = write->load_state();
  lead.add(o.mode == RunMode::full ? Phase::db_write : Phase::state_read, ms_since(t));
  TailWriter writer(write.get(), file);
  Prepared p = early && !old ? std::move(*early) : plan.prepare(old, writer);
  const int from_day = old ? old->day : 0;
  // A no-op's write is not committed: it rolls back, nothing changed.
  if (p.route == Route::noop) return noop(o, file, std::move(p), t0, from_day);
  DriveResult d = apply(o, file, plan, p, *write, writer, lead, t0);
  d.from_day = from_day;
  return d;
}

// `from_day` is set once the state was first read.
DriveResult drive_fenced(LazyStore& store, const RunOptions& o, const FenceCommit& land,
                         int& from_day) {
  for (int attempt = 0; attempt <= kMaxRedos; ++attempt) {
    const auto t0 = Clock::now();
    const std::optional<ClientState> progress = store.load_progress(o.client);
    Phases lead;  // the connection, for the client whose state read opened the store
    if (const double connect = store.take_open_ms(); connect > 0) lead.add(Phase::connect, connect);
    if (attempt == 0) from_day = progress ? progress->day : 0;
    const std::string file = drops::require_drop(o.data_dir, o.client, o.day,
                                                 drops::pattern_or_default(o.job->source.pattern));
    const Drop drop(file, *o.job);
    if (already_applied(o.day, progress, drop)) {  // checkpoints not even read
      Prepared p;
      p.route = Route::noop;
      p.basis = progress;
      return noop(o, file, std::move(p), t0, from_day);
    }
    // Read again with the checkpoints: another writer may have moved it meanwhile.
    const std::optional<ClientState> basis = progress ? store.load_state(o.client) : std::nullopt;
    const Plan plan(o, drop);
    TailWriter no_write(nullptr);
    Prepared p = plan.prepare(basis, no_write);
    if (p.route == Route::noop) return noop(o, file, std::move(p), t0, from_day);
    for (const Checkpoint& cp : p.scan.checkpoints) cp.window.packed();  // before the lock
    DriveResult d;
    const FenceTurn turn = land(o.client, basis, [&](ClientWrite& write) {
      d = apply(o, file, plan, p, write, no_write, lead, t0);
    });
    if (turn == FenceTurn::held) return DriveResult{DriveStatus::held, RunReport{}, from_day};
    if (turn == FenceTurn::moved) continue;  // moved meanwhile: redo
    d.from_day = from_day;
    return d;
  }
  throw Error(fmt::format(
      "{}: expected the state of {} to hold still, found it moved {} times while this sync worked",
      o.db_path, o.client, kMaxRedos));
}

}  // namespace

void drive(LazyStore& store, const RunOptions& o, Locking locking, DriveResult& result,
           const FenceCommit* land) {
  result = DriveResult{};
  if (locking == Locking::lock_first) {
    result = drive_locked(store, o);
  } else if (land) {
    result = drive_fenced(store, o, *land, result.from_day);
  } else {
    const FenceCommit alone =
        [&store](const std::string& client, const std::optional<ClientState>& basis,
                 const ClientWriter& write) { return commit_alone(store, client, basis, write); };
    result = drive_fenced(store, o, alone, result.from_day);
  }
}

}  // namespace snapdelta
