#include "source/stream_router.h"

#include <fmt/format.h>
#include <isa-l/crc.h>

#include <algorithm>

#include "common/error.h"

namespace snapdelta {
namespace {
int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

StreamRouter::StreamRouter(uint64_t start_offset, std::vector<ExpectedRange> expected,
                           uint64_t parse_from, ByteSink& downstream, OnMismatch on_mismatch)
    : pos_(start_offset),
      expected_(std::move(expected)),
      parse_from_(parse_from),
      downstream_(downstream),
      on_mismatch_(on_mismatch) {
  // Empty ranges carry no bytes to check.
  expected_.erase(std::remove_if(expected_.begin(), expected_.end(),
                                 [](const ExpectedRange& r) { return r.end <= r.begin; }),
                  expected_.end());
}

void StreamRouter::mismatch(const ExpectedRange& r, std::string why) {
  if (on_mismatch_ == OnMismatch::stop) throw HistoryChanged(0, std::move(why));
  mismatch_ = r;
  next_range_ = expected_.size();  // the verdict is in: nothing more to check
}

void StreamRouter::check_range_end() {
  const ExpectedRange& r = expected_[next_range_];
  if (range_hasher_.digest() != r.hash) {
    mismatch(
        r, r.first_line == r.last_line
               ? fmt::format("history changed at line {}", r.first_line)
               : fmt::format("history changed between lines {} and {}", r.first_line, r.last_line));
    return;
  }
  range_hasher_.reset();
  ++next_range_;
}

// Hashes the parts of [pos_, pos_ + size) that lie in expected ranges, checking each range as it
// ends. Bytes before the first range need no check.
void StreamRouter::check_ranges(const uint8_t* data, size_t size) {
  const int64_t t0 = now_ns();
  size_t done = 0;
  while (done < size && next_range_ < expected_.size()) {
    const ExpectedRange& r = expected_[next_range_];
    const uint64_t at = pos_ + done;
    if (at < r.begin) {
      done += static_cast<size_t>(std::min<uint64_t>(size - done, r.begin - at));
      continue;
    }
    const size_t m = static_cast<size_t>(std::min<uint64_t>(size - done, r.end - at));
    range_hasher_.update(data + done, m);
    done += m;
    if (pos_ + done == r.end) check_range_end();
  }
  verify_ns_ += now_ns() - t0;
}

void StreamRouter::write(const uint8_t* data, size_t size) {
  if (next_range_ < expected_.size()) check_ranges(data, size);
  const size_t skip =
      pos_ < parse_from_ ? static_cast<size_t>(std::min<uint64_t>(size, parse_from_ - pos_)) : 0;
  pos_ += size;
  if (skip == size) return;
  data += skip;
  size -= skip;
  const int64_t t0 = now_ns();
  crc_ = crc32_gzip_refl(crc_, data, size);
  hasher_.update(data, size);
  new_bytes_ += size;
  checksum_ns_ += now_ns() - t0;
  downstream_.write(data, size);
}

void StreamRouter::finish() {
  if (next_range_ < expected_.size()) {
    const ExpectedRange& r = expected_[next_range_];
    mismatch(r, fmt::format("history changed: the file ends inside lines {} to {} already consumed",
                            r.first_line, r.last_line));
  }
}

}  // namespace snapdelta
