#include "source/zlib_inflater.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>

#include "common/error.h"
#include "source/deflate_window.h"
#include "source/hash.h"

namespace snapdelta {
namespace {

constexpr size_t kInChunk = 256 * 1024;
constexpr size_t kOutChunk = 256 * 1024;

struct ZStream {
  z_stream s{};
  ZStream() {
    if (inflateInit2(&s, -MAX_WBITS) != Z_OK) throw Error("zlib: inflateInit2 failed");
  }
  ~ZStream() { inflateEnd(&s); }
};

// A checkpoint being captured: its hasher sees every byte after its out_offset.
struct Capture {
  Checkpoint point;
  std::unique_ptr<Hasher> tail;
};

class Run {
 public:
  Run(const Drop& drop, const InflateOptions& options, ByteSink& sink)
      : file_(drop.file()),
        entry_(drop.entry()),
        options_(options),
        sink_(sink),
        in_(kInChunk),
        out_(kOutChunk) {}

  uint64_t stored() {
    uint64_t pos = 0;
    while (pos < entry_.compressed_size) {
      const size_t n =
          static_cast<size_t>(std::min<uint64_t>(kInChunk, entry_.compressed_size - pos));
      file_.read_at(entry_.data_offset + pos, in_.data(), n);
      sink_.write(in_.data(), n);
      pos += n;
    }
    return pos;
  }

  uint64_t inflate() {
    ZStream z;
    uint64_t in_pos = 0;
    out_total_ = 0;
    if (options_.resume) {
      start_at(z, *options_.resume, in_pos);
      // The point resumed from is a block boundary too: keep it, or a stream that ends within
      // the next block (a small day) would leave no checkpoint at all.
      if (capturing(options_.resume->in_byte)) {
        Capture c;
        c.point = *options_.resume;
        c.tail = std::make_unique<Hasher>();
        captures_.push_back(std::move(c));
      }
    }
    z.s.next_out = out_.data();
    z.s.avail_out = kOutChunk;
    for (;;) {
      if (z.s.avail_in == 0 && in_pos < entry_.compressed_size) {
        const size_t n =
            static_cast<size_t>(std::min<uint64_t>(kInChunk, entry_.compressed_size - in_pos));
        file_.read_at(entry_.data_offset + in_pos, in_.data(), n);
        z.s.next_in = in_.data();
        z.s.avail_in = static_cast<uInt>(n);
        in_pos += n;
      }
      const int ret = ::inflate(&z.s, Z_BLOCK);
      if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT || ret == Z_MEM_ERROR) {
        fail(entry_.archive_path,
             fmt::format("expected deflate data in {}, found corrupt bytes near compressed byte "
                         "{} ({})",
                         entry_.name, in_pos - z.s.avail_in, z.s.msg ? z.s.msg : "inflate error"));
      }
      if (ret == Z_BUF_ERROR && z.s.avail_in == 0 && in_pos >= entry_.compressed_size) {
        fail(entry_.archive_path,
             fmt::format("truncated deflate data in {}: stream ends early", entry_.name));
      }
      const bool end = ret == Z_STREAM_END;
      const bool boundary = (z.s.data_type & 128) && !(z.s.data_type & 64);
      const uint64_t consumed_in = in_pos - z.s.avail_in;
      if (z.s.avail_out == 0 || end || (boundary && capturing(consumed_in))) flush(z);
      if (end) {
        if (options_.stream_end) *options_.stream_end = consumed_in;
        break;
      }
      if (boundary && capturing(consumed_in)) capture(z, consumed_in);
    }
    check_inflated_total(entry_, out_total_);
    finish_captures();
    return out_total_;
  }

 private:
  bool capturing(uint64_t consumed_in) const {
    return options_.captured != nullptr && consumed_in >= options_.capture_from && consumed_in > 0;
  }

  void start_at(ZStream& z, const Checkpoint& cp, uint64_t& in_pos) {
    if (cp.in_byte > entry_.compressed_size || (cp.bits && cp.in_byte == 0)) {
      throw Error("checkpoint lies beyond the compressed data");
    }
    in_pos = cp.in_byte;
    if (cp.bits) {
      uint8_t byte = 0;
      file_.read_at(entry_.data_offset + cp.in_byte - 1, &byte, 1);
      inflatePrime(&z.s, cp.bits, byte >> (8 - cp.bits));
    }
    const std::string* window = cp.window.bytes();
    if (!window) throw Error("unusable checkpoint window");
    if (!window->empty()) {
      inflateSetDictionary(&z.s, reinterpret_cast<const Bytef*>(window->data()),
                           static_cast<uInt>(window->size()));
    }
    out_total_ = cp.out_offset;
  }

  void flush(ZStream& z) {
    const size_t n = kOutChunk - z.s.avail_out;
    if (n > 0) {
      if (n > entry_.uncompressed_size - std::min(out_total_, entry_.uncompressed_size)) {
        fail(entry_.archive_path,
             fmt::format("expected {} to inflate to the {} bytes the archive declares, found "
                         "more (corrupt zip)",
                         entry_.name, entry_.uncompressed_size));
      }
      sink_.write(out_.data(), n);
      for (auto& c : captures_) c.tail->update(out_.data(), n);
      out_total_ += n;
    }
    z.s.next_out = out_.data();
    z.s.avail_out = kOutChunk;
  }

  void capture(ZStream& z, uint64_t consumed_in) {
    Capture c;
    c.point.in_byte = consumed_in;
    c.point.bits = z.s.data_type & 7;
    c.point.out_offset = out_total_;
    if (c.point.bits) {
      uint8_t last = 0;
      if (z.s.next_in > in_.data()) {
        last = z.s.next_in[-1];
      } else {
        file_.read_at(entry_.data_offset + consumed_in - 1, &last, 1);
      }
      c.point.low_bits = static_cast<uint8_t>(last & c.point.low_mask());
    }
    std::string window(kDeflateWindow, '\0');
    uInt len = kDeflateWindow;
    inflateGetDictionary(&z.s, reinterpret_cast<Bytef*>(window.data()), &len);
    window.resize(len);
    c.point.window = CheckpointWindow::from_raw(std::move(window));
    c.tail = std::make_unique<Hasher>();
    captures_.push_back(std::move(c));
    if (captures_.size() > options_.keep) captures_.pop_front();
  }

  void finish_captures() {
    if (!options_.captured) return;
    for (auto& c : captures_) {
      c.point.tail_hash = c.tail->digest();
      options_.captured->push_back(std::move(c.point));
    }
  }

  const FileReader& file_;
  const ZipEntry& entry_;
  const InflateOptions& options_;
  ByteSink& sink_;
  std::vector<uint8_t> in_;
  std::vector<uint8_t> out_;
  uint64_t out_total_ = 0;
  std::deque<Capture> captures_;
};

}  // namespace

uint64_t zlib_inflate_member(const Drop& drop, const InflateOptions& options, ByteSink& sink) {
  if (drop.entry().method == 0) {
    if (options.resume) throw Error("a stored member has no checkpoints");
    return Run(drop, options, sink).stored();
  }
  return Run(drop, options, sink).inflate();
}

void check_inflated_total(const ZipEntry& entry, uint64_t total) {
  if (total != entry.uncompressed_size) {
    fail(entry.archive_path,
         fmt::format("expected {} to inflate to the {} bytes the archive declares, found {} "
                     "(corrupt zip)",
                     entry.name, entry.uncompressed_size, total));
  }
}

}  // namespace snapdelta
