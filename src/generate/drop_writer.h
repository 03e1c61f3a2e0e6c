// DropWriter: turns one client's growing CSV into that client's daily drop files, in one
// container (container.h).
// Contract: append() receives every CSV byte once, in order, from the first day's header on;
// end_day() marks the end of a day (the bytes so far are that day's CSV), and is called for every
// day, written or not, because the append containers build each day's drop on the day before's;
// write() then writes the drop of the day just ended to `path` (through `path.tmp` and a rename),
// deterministic for the same bytes. `scratch_dir` holds the writer's scratch files (removed when
// it dies). Throws snapdelta::Error naming the file on any failure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "generate/container.h"

namespace snapdelta::generate {

struct DropInfo {
  std::string entry_name;  // the CSV's name inside a zip
  int32_t date = 0;        // days since 1970-01-01: the zip entry's timestamp
};

class DropWriter {
 public:
  virtual ~DropWriter() = default;
  virtual void append(const void* data, size_t size) = 0;
  virtual void end_day() {}
  virtual void write(const std::string& path, const DropInfo& info) = 0;
};

std::unique_ptr<DropWriter> make_drop_writer(Container container,
                                             const std::filesystem::path& scratch_dir);

}  // namespace snapdelta::generate
