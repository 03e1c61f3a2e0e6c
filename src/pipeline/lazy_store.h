// LazyStore: a run's store, opened when first needed. A missing SQLite database reads as holding
// no state and is created only when get() is first called, which a run does once it has read its
// whole input (or takes the write lock), so bad input leaves no database behind.
// Contract: exists() says whether the store is there (open already, or store_exists()); the
// loaders return nullopt for a store that is not there; get() opens it (creating a missing
// SQLite file) and keeps it open; take_open_ms() is the time the opening took (the connect
// phase), once: 0 after it was taken. One thread uses a LazyStore.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "common/stopwatch.h"
#include "store/client_state.h"
#include "store/open_store.h"
#include "store/store.h"

namespace snapdelta {

class LazyStore {
 public:
  // `job` must outlive the LazyStore.
  LazyStore(StoreOptions where, const Job& job) : where_(std::move(where)), job_(&job) {}

  bool exists() const { return store_ || store_exists(where_); }
  std::optional<ClientState> load_state(const std::string& client) {
    return exists() ? get().load_state(client) : std::nullopt;
  }
  std::optional<ClientState> load_progress(const std::string& client) {
    return exists() ? get().load_progress(client) : std::nullopt;
  }
  Store& get() {
    if (!store_) {
      const auto t = Clock::now();
      store_ = open_store(where_, *job_);
      open_ms_ = ms_since(t);
    }
    return *store_;
  }
  double take_open_ms() { return std::exchange(open_ms_, 0.0); }

 private:
  StoreOptions where_;
  const Job* job_;
  std::unique_ptr<Store> store_;
  double open_ms_ = 0;
};

}  // namespace snapdelta
