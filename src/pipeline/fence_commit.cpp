#include "pipeline/fence_commit.h"

namespace snapdelta {

FenceTurn commit_alone(LazyStore& store, const std::string& client,
                       const std::optional<ClientState>& basis, const ClientWriter& write) {
  const auto w = store.get().try_begin_write(client);
  if (!w) return FenceTurn::held;
  if (!same_consumption(w->load_progress(), basis)) return FenceTurn::moved;
  write(*w);
  return FenceTurn::applied;
}

}  // namespace snapdelta
