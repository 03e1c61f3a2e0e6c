// FenceCommit: how a fenced run (run_driver.h, Locking::prepare_then_fence) lands work prepared
// outside the write lock. It claims the client, reads its state under the claim and, only when
// that is the same consumption as `basis` (same_consumption), calls `write` with the client's
// ClientWrite, which writes everything and commits it.
// Contract: held — another writer holds the client, nothing done; moved — its state moved since
// `basis`, nothing written (the run is redone); applied — written. An exception from `write`
// leaves the client as it was and propagates. commit_alone() is a transaction of the client's own
// (Store::try_begin_write); sync's group commit (group_commit.h) keeps the client in a group.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "pipeline/lazy_store.h"
#include "store/client_state.h"
#include "store/store.h"

namespace snapdelta {

enum class FenceTurn { applied, held, moved };

using ClientWriter = std::function<void(ClientWrite&)>;
using FenceCommit = std::function<FenceTurn(
    const std::string& client, const std::optional<ClientState>& basis, const ClientWriter& write)>;

FenceTurn commit_alone(LazyStore& store, const std::string& client,
                       const std::optional<ClientState>& basis, const ClientWriter& write);

}  // namespace snapdelta
