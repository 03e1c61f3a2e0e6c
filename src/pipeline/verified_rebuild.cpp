#include "pipeline/verified_rebuild.h"

#include <fmt/format.h>

#include <future>
#include <optional>
#include <vector>

#include "pipeline/history_locator.h"

namespace snapdelta {
namespace {

// The first changed line, when both files' blocks show it.
std::optional<uint64_t> changed_line(const ClientState& old, const std::string& new_path,
                                     const std::optional<std::vector<uint64_t>>& old_blocks,
                                     const std::vector<uint64_t>& new_blocks) {
  if (!old_blocks) return std::nullopt;
  const auto block = first_differing_block(*old_blocks, new_blocks);
  if (!block) return std::nullopt;
  return first_changed_line(old.file, new_path, *block, old.bytes);
}

std::string describe(const ExpectedRange& mismatch, std::optional<uint64_t> line, bool shrank) {
  std::string words;
  if (line) {
    words = fmt::format("history changed at line {}", *line);
  } else if (shrank) {
    words = "history changed";
  } else if (mismatch.first_line == mismatch.last_line) {
    words = fmt::format("history changed at line {}", mismatch.first_line);
  } else {
    words = fmt::format("history changed between lines {} and {}", mismatch.first_line,
                        mismatch.last_line);
  }
  return words;
}

}  // namespace

Rebuild verified_rebuild(const Drop& drop, const ClientState& old, int threads, RunReport& report) {
  const std::string& new_path = drop.entry().archive_path;
  // The file the state consumed, hashed on another thread while this one scans the new drop.
  std::future<std::optional<std::vector<uint64_t>>> old_blocks;
  if (old.file != new_path) {
    old_blocks = std::async(std::launch::async, [&] { return block_hashes(old.file, old.bytes); });
  }
  BlockHasher new_blocks(old.bytes);
  Rebuild r;
  ScanRequest request{drop, old, nullptr, threads};
  request.mode = Consumed::reparse;
  request.blocks = &new_blocks;
  scan_drop(request, r.scan, report);
  const std::optional<std::vector<uint64_t>> old_hashes =
      old_blocks.valid() ? old_blocks.get() : std::nullopt;
  if (r.scan.mismatch) {
    const bool shrank = r.scan.state.bytes < old.bytes;
    r.changed = describe(*r.scan.mismatch,
                         changed_line(old, new_path, old_hashes, new_blocks.hashes()), shrank);
    if (shrank) {
      r.changed += fmt::format(" (history shrank from {} to {} rows)", old.rows, r.scan.state.rows);
    }
  } else if (old.unterminated && new_blocks.next_byte() && *new_blocks.next_byte() != '\n' &&
             *new_blocks.next_byte() != '\r') {
    // Every consumed byte is there, but the last consumed row had no line end and the new bytes
    // continue it: that row changed.
    r.changed = fmt::format("history changed at line {}", old.lines);
  }
  return r;
}

}  // namespace snapdelta
