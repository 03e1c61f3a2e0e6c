// What the gzip and zstd reader fuzz targets share: a sink that keeps what it is given up to a
// cap (a decompression bomb stops the read; it is not a bug), a property failure that aborts the
// target, and one scratch file per process (removed at exit) that the readers open by path.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/error.h"
#include "source/byte_sink.h"

namespace snapdelta::fuzz_support {

constexpr size_t kCap = size_t{32} << 20;

class KeepSink : public ByteSink {
 public:
  void write(const uint8_t* data, size_t size) override {
    if (out.size() + size > kCap) throw Error("fuzz: output cap");
    out.append(reinterpret_cast<const char*>(data), size);
  }
  std::string out;
};

[[noreturn]] inline void broken(const std::string& what) { throw std::logic_error(what); }

inline const std::string& scratch_path() {
  struct Scratch {
    Scratch() {
      char name[] = "/tmp/snapdelta-fuzz-XXXXXX";
      const int fd = ::mkstemp(name);
      if (fd >= 0) ::close(fd);
      path = name;
    }
    ~Scratch() { ::unlink(path.c_str()); }
    std::string path;
  };
  static const Scratch scratch;
  return scratch.path;
}

inline void write_scratch(std::string_view bytes) {
  FILE* f = std::fopen(scratch_path().c_str(), "wb");
  if (f == nullptr) throw std::runtime_error("cannot write " + scratch_path());
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (std::fclose(f) != 0 || !ok) throw std::runtime_error("cannot write " + scratch_path());
}

}  // namespace snapdelta::fuzz_support
