#include "pipeline/stream_router.h"

#include <fmt/format.h>
#include <isa-l/crc.h>

#include <algorithm>

namespace snapdelta {
namespace {
int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

StreamRouter::StreamRouter(uint64_t start_offset, std::vector<ExpectedRange> expected,
                           uint64_t parse_from, ByteSink& downstream)
    : pos_(start_offset),
      expected_(std::move(expected)),
      parse_from_(parse_from),
      downstream_(downstream) {
  // Empty ranges carry no bytes to check.
  expected_.erase(std::remove_if(expected_.begin(), expected_.end(),
                                 [](const ExpectedRange& r) { return r.end <= r.begin; }),
                  expected_.end());
}

void StreamRouter::check_range_end() {
  const ExpectedRange& r = expected_[next_range_];
  if (range_hasher_.digest() != r.hash) {
    throw HistoryChanged(
        0, r.first_line == r.last_line
               ? fmt::format("history changed at line {}", r.first_line)
               : fmt::format("history changed between lines {} and {}", r.first_line, r.last_line));
  }
  range_hasher_.reset();
  ++next_range_;
}

void StreamRouter::write(const uint8_t* data, size_t size) {
  while (size > 0 && pos_ < parse_from_) {
    const int64_t t0 = now_ns();
    const size_t take = static_cast<size_t>(std::min<uint64_t>(size, parse_from_ - pos_));
    size_t done = 0;
    while (done < take) {
      if (next_range_ >= expected_.size()) break;  // bytes before the first range need no check
      const ExpectedRange& r = expected_[next_range_];
      if (pos_ + done < r.begin) {
        done += static_cast<size_t>(std::min<uint64_t>(take - done, r.begin - (pos_ + done)));
        continue;
      }
      const size_t m = static_cast<size_t>(std::min<uint64_t>(take - done, r.end - (pos_ + done)));
      range_hasher_.update(data + done, m);
      done += m;
      if (pos_ + done == r.end) check_range_end();
    }
    pos_ += take;
    data += take;
    size -= take;
    verify_ns_ += now_ns() - t0;
  }
  if (size == 0) return;
  const int64_t t0 = now_ns();
  crc_ = crc32_gzip_refl(crc_, data, size);
  hasher_.update(data, size);
  new_bytes_ += size;
  pos_ += size;
  checksum_ns_ += now_ns() - t0;
  downstream_.write(data, size);
}

void ParserSink::write(const uint8_t* data, size_t size) {
  const int64_t t0 = now_ns();
  parser_.feed(reinterpret_cast<const char*>(data), size);
  parse_ns_ += now_ns() - t0;
}

void ParserSink::finish() {
  const int64_t t0 = now_ns();
  parser_.finish();
  parse_ns_ += now_ns() - t0;
}

void StreamRouter::finish() {
  if (next_range_ < expected_.size()) {
    const ExpectedRange& r = expected_[next_range_];
    throw HistoryChanged(
        0, fmt::format("history changed: the file ends inside lines {} to {} already consumed",
                       r.first_line, r.last_line));
  }
}

}  // namespace snapdelta
