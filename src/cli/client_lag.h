// ClientLag: how far each client's stored state is behind the drops in a data directory.
// Contract: one entry per client with a state (in the order given), then one per client that has
// drops but no state (in the data directory's natural order). newest_day is the client's newest
// drop on disk (nullopt when it has none there); `pending` lists the days on disk after the
// state's day (every day on disk for a client without state), and lag is their count. When the
// data directory does not exist (or is not a directory) nothing is looked up: newest_day and lag
// are nullopt, no client without state is listed, and `not_looked` says why in one line
// ("DIR: could not look for drops: expected a data directory at ABS, found none (pass
// --data-dir)"). A directory that exists but cannot be read is an Error.
// `failure` is the client's standing failure (the newest not cleared, from Store::failures()); a
// client with one but neither state nor drops is listed too. health() judges, in this order:
// failed (a standing failure), no-state, ahead (the state's day is after the newest drop on
// disk: its drop is missing), behind (lag >= 1), current; nullopt when the drops were not looked
// for and nothing else decides. A client without drops in this data dir is not ahead.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "job/drop_pattern.h"
#include "store/client_state.h"
#include "store/failure_record.h"

namespace snapdelta::cli {

struct ClientLag {
  std::string client;
  std::optional<ClientState> state;  // nullopt: drops on disk, nothing applied yet
  std::optional<int> newest_day;
  std::optional<int> lag;
  std::vector<int> pending;
  std::optional<FailureRecord> failure;

  bool ahead() const { return state && newest_day && state->day > *newest_day; }
  std::optional<std::string> health() const;
};

struct LagReport {
  std::vector<ClientLag> clients;
  std::optional<std::string> not_looked;
};

// Drops are found through `pattern` (source/drop_catalog.h).
LagReport client_lag(std::vector<ClientState> states, const std::string& data_dir,
                     const DropPattern& pattern, const std::vector<FailureRecord>& failures = {});

}  // namespace snapdelta::cli
