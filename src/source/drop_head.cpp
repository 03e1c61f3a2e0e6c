#include "source/drop_head.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "common/error.h"
#include "source/byte_sink.h"
#include "source/container_sniff.h"
#include "source/drop.h"
#include "source/file_reader.h"
#include "source/file_stream.h"
#include "source/gzip_reader.h"
#include "source/member_inflate.h"
#include "source/zstd_reader.h"

namespace snapdelta {
namespace {

struct Enough {};  // thrown by HeadSink once it holds what was asked: ends the read early

class HeadSink : public ByteSink {
 public:
  explicit HeadSink(size_t max) : max_(max) {}
  void write(const uint8_t* data, size_t size) override {
    const size_t take = std::min(size, max_ - head.size());
    head.append(reinterpret_cast<const char*>(data), take);
    if (head.size() >= max_) throw Enough{};
  }
  std::string head;

 private:
  size_t max_;
};

ContainerKind kind_of(const FileReader& file) {
  std::vector<uint8_t> first(static_cast<size_t>(std::min<uint64_t>(file.size(), kSniffBytes)));
  if (!first.empty()) file.read_at(0, first.data(), first.size());
  return sniff_container(first);
}

void read_into(const std::string& path, ContainerKind kind, HeadSink& sink) {
  if (kind == ContainerKind::zip) {
    const Drop drop(path);
    InflateOptions fast;
    fast.engine = InflateEngine::isal_then_zlib;
    inflate_drop_member(drop, fast, sink);
    return;
  }
  const FileReader file(path);
  switch (kind) {
    case ContainerKind::gzip:
      inflate_gzip(file, sink);
      return;
    case ContainerKind::zstd:
      decompress_zstd(file, sink);
      return;
    case ContainerKind::text:
    case ContainerKind::empty:
      stream_file(file, 0, sink);
      return;
    default:
      fail(path, fmt::format("expected a drop (a zip, gzip or zstd file, or CSV text), found {}",
                             found_in_file(file)));
  }
}

}  // namespace

std::string read_drop_head(const std::string& path, size_t max_bytes) {
  HeadSink sink(max_bytes);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    fail(path, "expected a drop file to read, found no such file");
  }
  if (max_bytes == 0) return {};
  const ContainerKind kind = kind_of(FileReader(path));
  try {
    read_into(path, kind, sink);
  } catch (const Enough&) {
  }
  return std::move(sink.head);
}

}  // namespace snapdelta
