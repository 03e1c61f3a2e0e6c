#include "pipeline/history_shrank.h"

#include <fmt/format.h>

#include <exception>

#include "pipeline/history_locator.h"
#include "source/drop_content.h"

namespace snapdelta {
namespace {

// Counts the content's bytes and non-empty whole lines while the blocks are hashed for the locator.
class LineCounter : public ByteSink {
 public:
  explicit LineCounter(BlockHasher& blocks) : blocks_(blocks) {}
  void write(const uint8_t* data, size_t size) override {
    blocks_.write(data, size);
    bytes += size;
    for (size_t i = 0; i < size; ++i) {
      if (data[i] == '\n') {
        if (line_bytes_ > 0) ++lines;
        line_bytes_ = 0;
      } else if (data[i] != '\r') {
        ++line_bytes_;
      }
    }
  }
  uint64_t bytes = 0;
  uint64_t lines = 0;

 private:
  BlockHasher& blocks_;
  uint64_t line_bytes_ = 0;
};

}  // namespace

std::string shrank_words(std::optional<uint64_t> line, uint64_t old_rows, uint64_t new_rows) {
  const std::string where = line ? fmt::format(" at line {}", *line) : "";
  return fmt::format("history changed{} (history shrank from {} to {} rows)", where, old_rows,
                     new_rows);
}

std::optional<std::string> shrunk_history(const Drop& drop, const ClientState& old,
                                          std::optional<uint64_t> rows) {
  // A zip member's and a CSV file's sizes are known without reading them.
  const Container container = drop.container();
  if ((container == Container::zip || container == Container::csv) &&
      drop.entry().uncompressed_size >= old.bytes) {
    return std::nullopt;
  }
  BlockHasher blocks(old.bytes);
  LineCounter counter(blocks);
  try {
    read_drop_content(drop, counter);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  blocks.close();
  if (counter.bytes >= old.bytes) return std::nullopt;
  const uint64_t header = drop.job().csv.header && counter.lines > 0 ? 1 : 0;
  const std::string& path = drop.entry().archive_path;
  std::optional<uint64_t> line;
  if (old.file != path) {
    if (const std::optional<size_t> block =
            first_differing_block(drop.job(), old.file, old.bytes, blocks)) {
      line = first_changed_line(drop.job(), old.file, path, *block, old.bytes);
    }
  }
  return shrank_words(line, old.rows, rows.value_or(counter.lines - header));
}

}  // namespace snapdelta
