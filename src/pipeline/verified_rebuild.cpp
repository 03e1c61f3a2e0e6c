#include "pipeline/verified_rebuild.h"

#include <fmt/format.h>

#include <future>
#include <optional>
#include <vector>

#include "pipeline/history_locator.h"
#include "pipeline/history_shrank.h"

namespace snapdelta {
namespace {

std::string describe(const ExpectedRange& mismatch, std::optional<uint64_t> line) {
  std::string words;
  if (line) {
    words = fmt::format("history changed at line {}", *line);
  } else if (mismatch.first_line == mismatch.last_line) {
    words = fmt::format("history changed at line {}", mismatch.first_line);
  } else {
    words = fmt::format("history changed between lines {} and {}", mismatch.first_line,
                        mismatch.last_line);
  }
  return words;
}

// Closes the block list however the scan ends, so the comparing thread never waits forever.
struct CloseOnExit {
  BlockHasher& blocks;
  ~CloseOnExit() { blocks.close(); }
};

}  // namespace

Rebuild verified_rebuild(const Drop& drop, const ClientState& old, int threads) {
  const std::string& new_path = drop.entry().archive_path;
  BlockHasher new_blocks(old.bytes);
  // The file the state consumed, compared block by block on another thread while this one scans
  // the new drop; it stops at the first block that differs.
  std::future<std::optional<size_t>> differing;
  if (old.file != new_path) {
    differing = std::async(std::launch::async, [&] {
      return first_differing_block(drop.job(), old.file, old.bytes, new_blocks);
    });
  }
  Rebuild r;
  {
    CloseOnExit close{new_blocks};
    ScanRequest request{drop, old, nullptr, threads};
    request.mode = Consumed::reparse;
    request.blocks = &new_blocks;
    r.result = scan_fast(request);
    if (r.result.verdict == Verdict::fast_path_failed) r.result = scan_zlib(request);
  }
  const std::optional<size_t> block = differing.valid() ? differing.get() : std::nullopt;
  const Scan& scan = r.result.scan;
  if (r.result.mismatch) {
    const bool shrank = scan.state.bytes < old.bytes;
    std::optional<uint64_t> line;
    if (block) line = first_changed_line(drop.job(), old.file, new_path, *block, old.bytes);
    r.changed =
        shrank ? shrank_words(line, old.rows, scan.state.rows) : describe(*r.result.mismatch, line);
  } else if (old.unterminated && new_blocks.next_byte() && *new_blocks.next_byte() != '\n' &&
             *new_blocks.next_byte() != '\r') {
    // Every consumed byte is there, but the last consumed row had no line end and the new bytes
    // continue it: that row changed.
    r.changed = fmt::format("history changed at line {}", old.lines);
  }
  return r;
}

}  // namespace snapdelta
