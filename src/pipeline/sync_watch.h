// The watch loop of `snapdelta sync --watch`.
// Contract: watch_sync() first starts watching options.data_dir (source/drop_watcher.h) and
// catching SIGINT/SIGTERM (common/stop_signals.h), so nothing that lands meanwhile is missed and a
// stop never cuts a transaction; then it runs first_pass() (the plain sync). From then on each
// drop that settles (source/drop_settler.h: stable for `settle`, central directory complete) is
// applied by sync_clients() for that client alone, reading exactly that drop (through_day = its
// day), and each client applied or failed is passed to `report` (no-ops are not). Only the
// clients in options.clients are watched when it names some. It returns after SIGINT or SIGTERM,
// once the sync in progress (the first pass included) has finished; a watch that cannot go on
// (the data dir missing or removed) throws snapdelta::Error.
#pragma once

#include <chrono>
#include <functional>

#include "pipeline/sync.h"

namespace snapdelta {

void watch_sync(const SyncOptions& options, std::chrono::milliseconds settle,
                const std::function<void()>& first_pass, const SyncObserver& report);

}  // namespace snapdelta
