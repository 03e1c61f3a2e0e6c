#include "pipeline/sync.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "common/error.h"
#include "common/near_miss.h"
#include "common/stopwatch.h"
#include "common/thread_placement.h"
#include "pipeline/lazy_store.h"
#include "pipeline/run_driver.h"
#include "source/drop_catalog.h"
#include "store/open_store.h"

namespace snapdelta {
namespace {

// With --rebuild-job every store of the sync may replace another job's tables: the first client
// write that lands does, inside its own transaction (open_store.h).
StoreOptions store_options(const SyncOptions& o) {
  StoreOptions where{o.db, StoreOpen::create_if_missing, o.busy_timeout_ms};
  if (o.rebuild_job) where.job_change = JobChange::rebuild;
  return where;
}

RunOptions run_options(const SyncOptions& o, const ClientSync& c, int threads) {
  RunOptions r;
  r.mode = o.mode;
  r.client = c.client;
  r.day = c.to_day;
  r.data_dir = o.data_dir;
  r.job = o.job;
  r.db_path = o.db;
  r.busy_timeout_ms = o.busy_timeout_ms;
  r.threads = threads;
  r.on_history_change = o.on_history_change;
  return r;
}

enum class Outcome { done, held };

// One attempt at bringing `c` to its newest drop (run_driver.h: prepare, then fence; `land`: where
// it commits, nullptr for its own transaction). `held`: another worker holds the client.
Outcome sync_one(LazyStore& store, const RunOptions& ro, ClientSync& c, const FenceCommit* land) {
  DriveResult d;
  try {
    drive(store, ro, Locking::prepare_then_fence, d, land);
  } catch (...) {
    c.from_day = d.from_day;  // a failed client still shows the day it stays at
    throw;
  }
  c.from_day = d.from_day;
  if (d.status == DriveStatus::held) return Outcome::held;
  c.status = d.status == DriveStatus::applied ? SyncStatus::applied : SyncStatus::noop;
  c.report = std::move(d.report);
  return Outcome::done;
}

// Work the clients off a shared queue; a held client goes to the back. Grouped, a client applied
// is told to the observer once both its worker is done with it and its group has landed.
class JobPool {
 public:
  JobPool(const SyncOptions& o, std::vector<ClientSync>& results, const SyncObserver& observer)
      : o_(o),
        results_(results),
        observer_(observer),
        worked_(results.size()),
        landed_(results.size()),
        landing_error_(results.size()) {
    for (size_t i = 0; i < results.size(); ++i) queue_.push_back(i);
    if (o.group.clients > 1) group_.emplace(store_options(o), *o.job, o.group);
  }

  void run(int jobs, int threads) {
    {
      std::vector<std::jthread> workers;
      for (int j = 0; j < jobs; ++j) workers.emplace_back([this, threads] { work(threads); });
    }
    if (group_) group_->flush();
  }

 private:
  void work(int threads) {
    LazyStore js(store_options(o_), *o_.job);
    size_t held_in_a_row = 0;
    for (;;) {
      std::optional<size_t> next = take();
      if (!next) return;
      ClientSync& c = results_[*next];
      if (attempt(js, *next, threads) == Outcome::held && !held_too_long(js, *next)) {
        give_back(*next);
        if (++held_in_a_row >= 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      held_in_a_row = 0;
      if (group_ && c.status == SyncStatus::applied) {
        settle(*next, worked_);
      } else {
        std::lock_guard lock(mu_);
        c.commit = c.status == SyncStatus::applied ? ++commits_ : 0;
        if (observer_) observer_(c);
      }
    }
  }

  // Marks client `i` worked or landed (`flags`); once it is both, the observer hears of it.
  void settle(size_t i, std::vector<char>& flags) {
    std::lock_guard lock(mu_);
    flags[i] = 1;
    if (!worked_[i] || !landed_[i]) return;
    ClientSync& c = results_[i];
    if (!landing_error_[i].empty()) {
      c.status = SyncStatus::failed;
      c.error = landing_error_[i];
      c.commit = 0;
      c.report.rows_in_file = c.report.rows_processed = c.report.groups_written = 0;
    }
    if (observer_) observer_(c);
  }

  // Where client `i`'s result lands: its own transaction, or the open group.
  std::optional<FenceCommit> land_for(size_t i) {
    if (!group_) return std::nullopt;
    return [this, i](const std::string& client, const std::optional<ClientState>& basis,
                     const ClientWriter& write) {
      return group_->land(client, basis, write, [this, i](const std::string& error, size_t n) {
        {
          std::lock_guard lock(mu_);
          landing_error_[i] = error;
          results_[i].commit = n;
        }
        settle(i, landed_);
      });
    };
  }

  Outcome attempt(LazyStore& js, size_t i, int threads) {
    ClientSync& c = results_[i];
    if (c.status == SyncStatus::failed) {  // no drop: failed up front, at the state's day
      if (const auto progress = progress_of(js, c.client)) c.from_day = progress->day;
      return Outcome::done;
    }
    try {
      const std::optional<FenceCommit> land = land_for(i);
      return sync_one(js, run_options(o_, c, threads), c, land ? &*land : nullptr);
    } catch (const std::exception& e) {
      c.status = SyncStatus::failed;
      c.error = e.what();
      // Nothing of this client was written: report no rows or groups for it.
      c.report.rows_in_file = c.report.rows_processed = c.report.groups_written = 0;
      return Outcome::done;
    }
  }

  // The client's state without its checkpoints, or nullopt (none, or the store cannot say).
  static std::optional<ClientState> progress_of(LazyStore& js, const std::string& client) {
    try {
      return js.load_progress(client);
    } catch (const std::exception&) {
      return std::nullopt;  // the failure already reported says more
    }
  }

  // Whether client `i`, found held again, has been held by other writers for longer than the
  // busy timeout since this sync first found it so; then it fails, as a wait for its lock would.
  bool held_too_long(LazyStore& js, size_t i) {
    const auto now = Clock::now();
    std::lock_guard lock(mu_);
    const auto since = held_since_.try_emplace(i, now).first->second;
    if (std::chrono::duration<double, std::milli>(now - since).count() <= o_.busy_timeout_ms) {
      return false;
    }
    ClientSync& c = results_[i];
    c.status = SyncStatus::failed;
    c.error = fmt::format(
        "{}: expected the write lock of client {} within {} ms, found it still held by another "
        "writer",
        js.get().describe(), c.client, o_.busy_timeout_ms);
    return true;
  }

  std::optional<size_t> take() {
    std::lock_guard lock(mu_);
    if (queue_.empty()) return std::nullopt;
    const size_t i = queue_.front();
    queue_.pop_front();
    return i;
  }
  void give_back(size_t i) {
    std::lock_guard lock(mu_);
    queue_.push_back(i);
  }

  const SyncOptions& o_;
  std::vector<ClientSync>& results_;
  const SyncObserver& observer_;
  std::mutex mu_;
  std::deque<size_t> queue_;                        // guarded by mu_
  std::map<size_t, Clock::time_point> held_since_;  // guarded by mu_
  std::vector<char> worked_, landed_;               // guarded by mu_ (grouped)
  std::vector<std::string> landing_error_;          // guarded by mu_ (grouped)
  size_t commits_ = 0;                              // guarded by mu_ (one per client)
  std::optional<GroupCommitter> group_;             // last: flushed before the rest goes
};

// "expected client \"clinet_1\" (did you mean \"client_1\"?) in DIR, found clients ...", as
// run says it of a client folder that is not there.
std::string no_such_client(const SyncOptions& o, const std::string& client) {
  constexpr size_t kListed = 20;  // a longer list is cut, with the count
  const std::vector<std::string> names = drops::clients(o.data_dir);
  std::string found =
      names.empty() ? "no client folders with drops" : (names.size() == 1 ? "client " : "clients ");
  for (size_t i = 0; i < names.size() && i < kListed; ++i) found += (i ? ", " : "") + names[i];
  if (names.size() > kListed) found += fmt::format(", ... ({} in all)", names.size());
  return fmt::format(
      "expected client {}{} in {}, found {} (pass --data-dir, or create drops with snapdelta "
      "generate)",
      quote_found(client), did_you_mean(client, names), drops::absolute_dir(o.data_dir), found);
}

// The newest of `days` (ascending) at or before `at_most`.
std::optional<int> newest_of(const std::vector<int>& days, std::optional<int> at_most) {
  for (auto it = days.rbegin(); it != days.rend(); ++it) {
    if (!at_most || *it <= *at_most) return *it;
  }
  return std::nullopt;
}

// Each client's newest drop, or a failure saying there is none. `listed`: the client's folder as
// a survey found it (nullptr: listed here).
ClientSync newest_drop(const SyncOptions& o, const std::string& client,
                       const drops::FolderDrops* listed) {
  ClientSync c;
  c.client = client;
  const auto at_most = o.through_day > 0 ? std::optional<int>(o.through_day) : std::nullopt;
  const auto day = listed ? newest_of(listed->days, at_most)
                          : drops::newest_day(o.data_dir, client, at_most,
                                              drops::pattern_or_default(o.job->source.pattern));
  if (day) {
    c.to_day = *day;
    return c;
  }
  c.status = SyncStatus::failed;
  const std::string dir = drops::absolute_dir(o.data_dir + "/" + client);
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    c.error = dir + ": " + no_such_client(o, client);
    return c;
  }
  c.error = fmt::format("{}: expected a drop (transactions_day_<K>.zip){}, found none", dir,
                        at_most ? fmt::format(" of day {} or before", *at_most) : "");
  return c;
}

std::string host_name() {
  char host[256] = {};
  return ::gethostname(host, sizeof host - 1) == 0 ? std::string(host) : std::string();
}

// Records each failed client that has a drop (a name without one is no client to remember) in
// the store, one small transaction each. A missing SQLite database is not created for it.
void remember_failures(const SyncOptions& o, std::vector<ClientSync>& results) {
  const auto failed = [](const ClientSync& c) {
    return c.status == SyncStatus::failed && c.to_day > 0;
  };
  if (std::none_of(results.begin(), results.end(), failed)) return;
  const StoreOptions where = store_options(o);
  try {
    if (!store_exists(where)) return;
    const auto store = open_store(where, *o.job);
    const DropPattern pattern = drops::pattern_or_default(o.job->source.pattern);
    const std::string host = host_name();
    for (ClientSync& c : results) {
      if (!failed(c)) continue;
      store->record_failure(FailureRecord{c.client, c.to_day,
                                          drops::drop_path(o.data_dir, c.client, c.to_day, pattern),
                                          c.error, "", "", host, ::getpid()});
    }
  } catch (const std::exception& e) {
    for (ClientSync& c : results) {
      if (failed(c)) c.error += fmt::format(" (not recorded in the store: {})", e.what());
    }
  }
}

}  // namespace

std::string_view to_string(SyncStatus status) {
  switch (status) {
    case SyncStatus::applied:
      return "applied";
    case SyncStatus::noop:
      return "noop";
    case SyncStatus::failed:
      return "failed";
  }
  return "failed";
}

namespace {

void require_data_dir(const SyncOptions& o) {
  std::error_code ec;
  if (!std::filesystem::is_directory(o.data_dir, ec)) {
    fail(drops::absolute_dir(o.data_dir),
         "expected a data directory, found none (pass --data-dir, or create drops with snapdelta "
         "generate)");
  }
}

// The clients named with --client, each once (a client named twice is one client).
std::vector<std::string> named_clients(const SyncOptions& o) {
  std::vector<std::string> once;
  for (const std::string& c : o.clients) {
    if (std::find(once.begin(), once.end(), c) == once.end()) once.push_back(c);
  }
  return once;
}

}  // namespace

std::vector<std::string> sync_clients_of(const SyncOptions& o) {
  require_data_dir(o);
  if (o.clients.empty())
    return drops::clients(o.data_dir, drops::pattern_or_default(o.job->source.pattern));
  return named_clients(o);
}

DataSurvey survey_data(const SyncOptions& o) {
  require_data_dir(o);
  return drops::survey(o.data_dir, drops::pattern_or_default(o.job->source.pattern));
}

std::vector<std::string> sync_clients_of(const SyncOptions& o, const DataSurvey& survey) {
  if (!o.clients.empty()) return named_clients(o);
  std::vector<std::string> out;
  for (const drops::FolderDrops& f : survey) {
    if (!f.days.empty()) out.push_back(f.name);
  }
  return out;
}

void check_sync_store(const SyncOptions& o) { check_store(store_options(o), *o.job); }

std::vector<ClientSync> sync_clients(const SyncOptions& o, const std::vector<std::string>& clients,
                                     const SyncObserver& observer, const DataSurvey* survey) {
  std::map<std::string_view, const drops::FolderDrops*> listed;
  if (survey) {
    for (const drops::FolderDrops& f : *survey) listed.emplace(f.name, &f);
  }
  std::vector<ClientSync> results;
  for (const std::string& client : clients) {
    const auto found = listed.find(client);
    results.push_back(newest_drop(o, client, found == listed.end() ? nullptr : found->second));
  }
  if (results.empty()) return results;
  const int jobs =
      std::clamp(o.jobs > 0 ? o.jobs : effective_threads(0), 1, static_cast<int>(results.size()));
  const int threads = o.threads > 0 ? o.threads : std::max(1, effective_threads(0) / jobs);
  JobPool(o, results, observer).run(jobs, threads);
  remember_failures(o, results);
  return results;
}

nlohmann::ordered_json ClientSync::to_json(const DropPattern& pattern) const {
  const auto date = [&pattern](int day) {
    return day > 0 ? nlohmann::ordered_json(pattern.key_text(day)) : nlohmann::ordered_json();
  };
  nlohmann::ordered_json j;
  j["client"] = client;
  j["from_day"] = from_day;
  if (pattern.keyed_by_date()) j["from_date"] = date(from_day);
  j["to_day"] = to_day;
  if (pattern.keyed_by_date()) j["to_date"] = date(to_day);
  const bool ran = status != SyncStatus::failed;
  j["path"] = ran ? nlohmann::ordered_json(to_string(report.path)) : nlohmann::ordered_json();
  j["rows_in_file"] = report.rows_in_file;
  j["rows_processed"] = report.rows_processed;
  j["groups_written"] = report.groups_written;
  j["total_ms"] = report.total_ms;
  j["status"] = to_string(status);
  j["error"] = error.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(error);
  j["rebuilt"] =
      report.rebuilt.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(report.rebuilt);
  j["phases_ms"] = phases_json(report.phases);
  return j;
}

SyncSummary summarize(const std::vector<ClientSync>& results, double total_ms) {
  SyncSummary s;
  s.clients = results.size();
  s.total_ms = total_ms;
  for (const ClientSync& c : results) {
    s.applied += c.status == SyncStatus::applied;
    s.noop += c.status == SyncStatus::noop;
    s.failed += c.status == SyncStatus::failed;
    s.commits = std::max(s.commits, c.commit);
    if (c.status == SyncStatus::applied) {
      s.rows_processed += c.report.rows_processed;
      s.groups_written += c.report.groups_written;
    }
  }
  return s;
}

nlohmann::ordered_json SyncSummary::to_json() const {
  return {{"summary",
           {{"clients", clients},
            {"applied", applied},
            {"noop", noop},
            {"failed", failed},
            {"rows_processed", rows_processed},
            {"groups_written", groups_written},
            {"total_ms", total_ms},
            {"commits", commits}}}};
}

}  // namespace snapdelta
