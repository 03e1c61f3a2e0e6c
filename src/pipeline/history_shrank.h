// history_shrank: a drop whose CSV is shorter than the bytes a client's state consumed, told in the
// same words for every container: "history changed at line L (history shrank from N to M rows)"
// ("history changed (history shrank ...)" when the file the state consumed cannot say where).
// Contract: shrank_words() formats them. shrunk_history() reads the drop's content whole
// (drop_content.h) and, when it is shorter than `old.bytes`, returns those words: L is the first
// line where it differs from the file the state consumed (history_locator.h; none when that is
// the drop's own path), M its data rows: `rows` when the caller parsed them, else its non-empty
// whole lines less the header. nullopt when the content is not shorter or cannot be read: it never
// throws, the caller's own read names any fault.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "source/drop.h"
#include "store/client_state.h"

namespace snapdelta {

std::string shrank_words(std::optional<uint64_t> line, uint64_t old_rows, uint64_t new_rows);

std::optional<std::string> shrunk_history(const Drop& drop, const ClientState& old,
                                          std::optional<uint64_t> rows = std::nullopt);

}  // namespace snapdelta
