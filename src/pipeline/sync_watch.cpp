#include "pipeline/sync_watch.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/stop_signals.h"
#include "source/drop_settler.h"
#include "source/drop_watcher.h"

namespace snapdelta {
namespace {

using Clock = DropSettler::Clock;

bool watched(const SyncOptions& o, const std::string& client) {
  return o.clients.empty() ||
         std::find(o.clients.begin(), o.clients.end(), client) != o.clients.end();
}

// poll()'s timeout until the settler's next check: -1 (none pending) waits for an event.
int timeout_ms(const DropSettler& settler) {
  const std::optional<Clock::time_point> next = settler.next_check();
  if (!next) return -1;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()).count();
  return static_cast<int>(std::clamp<int64_t>(left, 0, 60000));
}

// Sleeps until the watcher has events, a stop signal came, or `timeout` ms passed.
void wait_for_news(const DropWatcher& watcher, const StopSignals& stop, int timeout) {
  pollfd fds[2] = {{watcher.fd(), POLLIN, 0}, {stop.fd(), POLLIN, 0}};
  if (::poll(fds, 2, timeout) < 0 && errno != EINTR)
    fail("poll", std::string("expected to wait for drops, found ") + std::strerror(errno));
}

void apply(const SyncOptions& o, const SettledDrop& drop, const SyncObserver& report) {
  SyncOptions one = o;
  one.clients = {drop.client};
  one.through_day = drop.day;
  sync_clients(one, one.clients, [&report](const ClientSync& c) {
    if (c.status != SyncStatus::noop) report(c);
  });
}

}  // namespace

void watch_sync(const SyncOptions& options, std::chrono::milliseconds settle,
                const std::function<void()>& first_pass, const SyncObserver& report) {
  StopSignals stop;
  DropWatcher watcher(options.data_dir);
  DropSettler settler(
      options.data_dir, settle,
      options.through_day > 0 ? std::optional<int>(options.through_day) : std::nullopt,
      drops::pattern_or_default(options.job->source.pattern), *options.job);
  for (const std::string& client : sync_clients_of(options)) settler.mark_taken(client);
  first_pass();
  while (!stop.requested()) {
    wait_for_news(watcher, stop, timeout_ms(settler));
    if (stop.requested()) return;
    const Clock::time_point now = Clock::now();
    for (const std::string& client : watcher.read()) {
      if (watched(options, client)) settler.touch(client, now);
    }
    for (const SettledDrop& drop : settler.poll(Clock::now())) {
      if (stop.requested()) return;
      apply(options, drop, report);
    }
  }
}

}  // namespace snapdelta
