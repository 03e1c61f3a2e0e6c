// ByteSink: where a decompressor delivers uncompressed bytes, in order, in chunks of any size.
// Contract: write() sees every byte exactly once; a sink may throw snapdelta::Error to stop the
// run.
#pragma once

#include <cstddef>
#include <cstdint>

namespace snapdelta {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(const uint8_t* data, size_t size) = 0;
};

}  // namespace snapdelta
