// libFuzzer target: the zip container reader and the resumable inflater.
//
// Byte 0 of the input picks a mode; the rest is read by that mode:
// 0. raw archive: the bytes are a zip file. locate_zip_entry + inflate_drop_member (zlib, and ISA-L
//    bulk handing over at a fuzzed offset) into a hashing sink; when it inflates, both inflaters
//    must deliver the same bytes, and resuming from every checkpoint captured on the way (with
//    zlib, and with ISA-L handing over at a fuzzed offset) must deliver exactly the rest.
// 1. deflate body: the bytes are a raw deflate stream, wrapped into a well-formed zip whose
//    declared size and CRC are right, off by a little, or absurd (10 GiB, ZIP64). zlib's own
//    inflate is the reference: a complete stream with the right declared size must inflate to
//    the same bytes; a wrong declared size must be refused.
// 2. checkpoint on a mutated stream: checkpoints captured on a valid member are applied to a copy
//    whose deflate bytes (and maybe the checkpoint itself: bits, low bits, window, offsets) the
//    input mutates. Matching and resuming (zlib alone, and ISA-L handing over to zlib at a
//    fuzzed offset) must throw snapdelta::Error or produce output; an unmutated checkpoint must
//    resume to exactly the rest of the member, and if both inflaters succeed they must agree.
// Everywhere only snapdelta::Error may be thrown; a broken property throws std::logic_error.
//
// hostile_input_test.cpp includes this file with SNAPDELTA_FUZZ_NO_MAIN defined and replays every
// fuzz/regressions/zip_inflate_fuzz-* file through zip_inflate_one_input().
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "generate/zip_writer.h"
#include "source/byte_sink.h"
#include "source/checkpoint.h"
#include "source/drop.h"
#include "source/hash.h"
#include "source/member_inflate.h"
#include "source/prefix_proof.h"
#include "source/zip_entry.h"

namespace snapdelta::fuzz_zip {

// Reads the fuzz input front to back; past the end every read yields zeros.
class Input {
 public:
  Input(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  uint8_t byte() { return p_ < end_ ? *p_++ : 0; }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = v << 8 | byte();
    return v;
  }
  bool empty() const { return p_ >= end_; }
  std::string_view rest() {
    std::string_view r(reinterpret_cast<const char*>(p_), static_cast<size_t>(end_ - p_));
    p_ = end_;
    return r;
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

// Hashes what it is given and keeps the first `keep_limit` bytes.
class Sink : public ByteSink {
 public:
  explicit Sink(size_t keep_limit = 0) : keep_limit_(keep_limit) {}
  void write(const uint8_t* data, size_t size) override {
    hasher_.update(data, size);
    bytes_ += size;
    if (kept_.size() + size <= keep_limit_) kept_.append(reinterpret_cast<const char*>(data), size);
  }
  uint64_t hash() const { return hasher_.digest(); }
  uint64_t bytes() const { return bytes_; }
  const std::string& kept() const { return kept_; }

 private:
  Hasher hasher_;
  uint64_t bytes_ = 0;
  size_t keep_limit_;
  std::string kept_;
};

// One scratch file per process, removed at exit.
class ScratchFile {
 public:
  ScratchFile() {
    char name[] = "/tmp/snapdelta-fuzz-XXXXXX";
    const int fd = ::mkstemp(name);
    if (fd >= 0) ::close(fd);
    path_ = name;
  }
  ~ScratchFile() {
    ::unlink(path_.c_str());
    ::unlink((path_ + ".tmp").c_str());
  }
  const std::string& path() const { return path_; }
  void write(std::string_view bytes) const {
    FILE* f = std::fopen(path_.c_str(), "wb");
    if (f == nullptr) throw std::runtime_error("cannot write " + path_);
    const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    if (std::fclose(f) != 0 || !ok) throw std::runtime_error("cannot write " + path_);
  }

 private:
  std::string path_;
};

inline const ScratchFile& scratch() {
  static const ScratchFile file;
  return file;
}

struct Result {
  bool ok = false;
  std::string error;
  uint64_t total = 0;
  uint64_t hash = 0;
  std::string kept;
  std::vector<Checkpoint> captured;
};

inline Result inflate(const Drop& drop, bool bulk, uint64_t capture_from,
                      const Checkpoint* resume = nullptr, size_t keep_output = 0) {
  Result r;
  Sink sink(keep_output);
  InflateOptions options;
  options.engine = (bulk) ? InflateEngine::isal_then_zlib : InflateEngine::zlib_only;
  options.resume = resume;
  options.captured = &r.captured;
  options.capture_from = capture_from;
  options.keep = 16;
  try {
    r.total = inflate_drop_member(drop, options, sink);
    r.ok = true;
  } catch (const Error& e) {
    r.error = e.what();
  }
  r.hash = sink.hash();
  r.kept = sink.kept();
  return r;
}

[[noreturn]] inline void broken(const std::string& what) { throw std::logic_error(what); }

// A zip archive holding `deflate` as its one member, with the given declared size and CRC.
inline void write_member(const std::string& path, std::string_view deflate, uint64_t declared,
                         uint32_t crc, bool zip64) {
  generate::ZipEntry e;
  e.name = "transactions.csv";
  e.deflate_pieces.push_back(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(deflate.data()), deflate.size()));
  e.uncompressed_size = declared;
  e.crc32 = crc;
  e.force_zip64 = zip64;
  generate::write_zip(path, e);
}

// zlib's own raw inflate of a whole stream, stopping at `cap` output bytes.
struct Reference {
  bool complete = false;  // reached the end of the final block
  uint64_t size = 0;
  uint64_t hash = 0;
  uint32_t crc = 0;
};

inline Reference reference_inflate(std::string_view deflate, uint64_t cap) {
  Reference ref;
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return ref;
  Hasher hasher;
  std::vector<uint8_t> out(1 << 16);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(deflate.data()));
  z.avail_in = static_cast<uInt>(deflate.size());
  for (;;) {
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    const int ret = ::inflate(&z, Z_NO_FLUSH);
    const size_t n = out.size() - z.avail_out;
    hasher.update(out.data(), n);
    ref.crc = static_cast<uint32_t>(crc32_z(ref.crc, out.data(), n));
    ref.size += n;
    if (ret == Z_STREAM_END) {
      ref.complete = true;
      break;
    }
    if ((ret != Z_OK && ret != Z_BUF_ERROR) || (ret == Z_BUF_ERROR && n == 0) || ref.size > cap)
      break;
  }
  inflateEnd(&z);
  ref.hash = hasher.digest();
  return ref;
}

inline std::string describe(const Result& r) {
  return r.ok ? "ok, " + std::to_string(r.total) + " bytes" : "error: " + r.error;
}

// Mode 0: the input is the archive.
inline void raw_archive(Input& in) {
  const uint32_t capture_seed = in.u32();
  const std::string_view bytes = in.rest();
  const std::string& path = scratch().path();
  scratch().write(bytes);
  std::optional<Drop> opened;
  try {
    opened.emplace(path);
  } catch (const Error&) {
    return;
  }
  const Drop& drop = *opened;
  const ZipEntry& entry = drop.entry();
  const uint64_t capture_from = capture_seed % (entry.compressed_size + 1);
  constexpr size_t kKeep = 8 << 20;
  const Result z = inflate(drop, false, capture_from, nullptr, kKeep);
  const Result bulk = inflate(drop, true, capture_from);
  if (z.ok && (!bulk.ok || bulk.total != z.total || bulk.hash != z.hash)) {
    broken("bulk (ISA-L) inflate differs from zlib: " + describe(bulk) + " vs " + describe(z));
  }
  if (!z.ok || z.total != z.kept.size()) return;
  std::vector<Checkpoint> checkpoints = z.captured;
  fill_compressed_hashes(drop, checkpoints);
  for (const Checkpoint& cp : checkpoints) {
    const std::string_view expected = std::string_view(z.kept).substr(cp.out_offset);
    const uint64_t expected_hash = hash64(expected.data(), expected.size());
    // zlib alone, and ISA-L from the checkpoint handing over to zlib at a fuzzed later offset.
    const uint64_t handoff = cp.in_byte + capture_seed % (entry.compressed_size - cp.in_byte + 1);
    for (const bool bulk : {false, true}) {
      const Result resumed = inflate(drop, bulk, bulk ? handoff : entry.compressed_size, &cp);
      if (!resumed.ok || resumed.total != z.total || resumed.hash != expected_hash) {
        broken(std::string(bulk ? "ISA-L" : "zlib") + " resuming at compressed byte " +
               std::to_string(cp.in_byte) + " (bit " + std::to_string(cp.bits) +
               ") does not deliver the rest of the stream: " + describe(resumed));
      }
    }
  }
  if (!checkpoints.empty()) {
    if (find_matching_checkpoint(drop, checkpoints) < 0) {
      broken("no checkpoint matches the stream it was captured on");
    }
  }
}

// Mode 1: the input is a raw deflate stream.
inline void deflate_body(Input& in) {
  const uint8_t how = in.byte();
  const uint32_t capture_seed = in.u32();
  const std::string_view deflate = in.rest();
  const Reference ref = reference_inflate(deflate, 64 << 20);
  uint64_t declared = ref.size;
  switch (how & 3) {
    case 1:
      declared = ref.size + 1 + how / 4;
      break;
    case 2:
      declared = ref.size > how / 4 ? ref.size - 1 - how / 4 : 0;
      break;
    case 3:
      declared = uint64_t{10} << 30;
      break;
    default:
      break;
  }
  const bool zip64 = (how & 4) != 0;
  const std::string& path = scratch().path();
  write_member(path, deflate, declared, ref.crc, zip64);
  std::optional<Drop> opened;
  try {
    opened.emplace(path);
  } catch (const Error& e) {
    broken(std::string("a well-formed one-member zip is refused: ") + e.what());
  }
  const Drop& drop = *opened;
  const ZipEntry& entry = drop.entry();
  const uint64_t capture_from = capture_seed % (entry.compressed_size + 1);
  for (const bool bulk : {false, true}) {
    const Result r = inflate(drop, bulk, capture_from);
    const char* which = bulk ? "bulk (ISA-L) inflate" : "zlib inflate";
    if (ref.complete && declared == ref.size &&
        (!r.ok || r.hash != ref.hash || r.total != ref.size)) {
      broken(std::string(which) + " of a valid stream differs from zlib's: " + describe(r));
    }
    if (r.ok && ref.complete && declared != ref.size) {
      broken(std::string(which) + " accepts a member declaring " + std::to_string(declared) +
             " bytes that inflates to " + std::to_string(ref.size));
    }
    if (!bulk && r.ok && !ref.complete) broken("zlib inflate accepts a stream zlib cannot finish");
  }
}

// A valid member with many small deflate blocks, and the checkpoints captured inflating it.
struct Base {
  std::string image;  // the zip file
  ZipEntry entry;
  std::string csv;
  std::vector<Checkpoint> checkpoints;
};

inline const Base& base() {
  static const Base b = [] {
    Base base;
    base.csv = "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd\n";
    uint32_t x = 12345;
    for (int i = 1; i <= 1500; ++i) {
      x = x * 1103515245u + 12345u;
      base.csv += std::to_string(i) + ",2025-0" + std::to_string(1 + x % 9) + "-1" +
                  std::to_string(x % 10) + ",SKU-" + std::to_string(x % 97) + "," +
                  std::to_string(1 + x % 7) + "," + std::to_string(x % 1000) + "." +
                  std::to_string(10 + x % 90) + "\n";
    }
    // memLevel 1: a block every 128 symbols, so a small member has dozens of block boundaries.
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 1, Z_DEFAULT_STRATEGY);
    std::string stream(deflateBound(&z, base.csv.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(base.csv.data());
    z.avail_in = static_cast<uInt>(base.csv.size());
    z.next_out = reinterpret_cast<Bytef*>(stream.data());
    z.avail_out = static_cast<uInt>(stream.size());
    deflate(&z, Z_FINISH);
    stream.resize(z.total_out);
    deflateEnd(&z);
    const uint32_t crc = static_cast<uint32_t>(
        crc32_z(0, reinterpret_cast<const Bytef*>(base.csv.data()), base.csv.size()));
    const std::string& path = scratch().path();
    write_member(path, stream, base.csv.size(), crc, false);
    const Drop drop(path);
    base.entry = drop.entry();
    Result r = inflate(drop, false, 0);
    if (!r.ok) broken("the base member does not inflate: " + r.error);
    base.checkpoints = std::move(r.captured);
    fill_compressed_hashes(drop, base.checkpoints);
    FILE* f = std::fopen(path.c_str(), "rb");
    char buf[4096];
    for (size_t n; f && (n = std::fread(buf, 1, sizeof buf, f)) > 0;) base.image.append(buf, n);
    if (f) std::fclose(f);
    return base;
  }();
  return b;
}

// Mode 2: a checkpoint captured on the base member, applied to a mutated copy.
inline void mutated_resume(Input& in) {
  const Base& b = base();
  if (b.checkpoints.empty()) broken("the base member yields no checkpoints");
  Checkpoint cp = b.checkpoints[in.byte() % b.checkpoints.size()];
  const Checkpoint original = cp;
  const uint8_t what = in.byte();
  if (what & 1) cp.bits = in.byte() % 8;
  if (what & 2) cp.low_bits = in.byte();
  std::string window = *cp.window.bytes();
  if (what & 4) window.resize(in.byte() * window.size() / 255);
  if ((what & 8) && !window.empty())
    window[in.u32() % window.size()] ^= static_cast<char>(in.byte() | 1);
  cp.window = CheckpointWindow::from_raw(std::move(window));
  if (what & 64) cp.window = CheckpointWindow::from_packed(std::string(in.byte(), '\x78'));
  if (what & 16) cp.out_offset += static_cast<int8_t>(in.byte());
  if (what & 32) cp.in_byte += static_cast<int8_t>(in.byte());
  const uint32_t handoff_seed = in.u32();
  std::string image = b.image;
  bool edited = false;
  for (int i = 0; i < 16 && !in.empty(); ++i) {
    const size_t at = b.entry.data_offset + in.u32() % b.entry.compressed_size;
    const char v = static_cast<char>(in.byte());
    edited |= image[at] != v;
    image[at] = v;
  }
  const std::string& path = scratch().path();
  scratch().write(image);
  const Drop drop(path);  // only the deflate bytes changed
  const ZipEntry& entry = drop.entry();
  const int match = find_matching_checkpoint(drop, {cp});
  const Result r = inflate(drop, false, entry.compressed_size, &cp);
  // ISA-L from the (maybe mutated) checkpoint, handing over to zlib at a fuzzed offset after it.
  const uint64_t handoff = handoff_seed % (entry.compressed_size + 1);
  const Result rb = inflate(drop, true, handoff, &cp);
  const bool pristine = !edited && cp.bits == original.bits && cp.low_bits == original.low_bits &&
                        cp.window == original.window && cp.out_offset == original.out_offset &&
                        cp.in_byte == original.in_byte;
  if (pristine) {
    const std::string_view rest = std::string_view(b.csv).substr(cp.out_offset);
    const uint64_t want = hash64(rest.data(), rest.size());
    if (match != 0 || !r.ok || r.hash != want || !rb.ok || rb.hash != want) {
      broken("an unmodified checkpoint does not resume its own stream: zlib " + describe(r) +
             ", ISA-L " + describe(rb));
    }
  }
  if (r.ok && rb.ok && (r.hash != rb.hash || r.total != rb.total)) {
    broken("resuming a mutated member: ISA-L and zlib both succeed with different bytes: " +
           describe(rb) + " vs " + describe(r));
  }
  // The same mutated member from the start, bulk inflating up to the checkpoint's offset.
  const Result bulk =
      inflate(drop, true, std::min<uint64_t>(original.in_byte, entry.compressed_size));
  const Result z = inflate(drop, false, entry.compressed_size);
  if (z.ok && (!bulk.ok || bulk.hash != z.hash)) {
    broken("bulk (ISA-L) inflate of a mutated member differs from zlib: " + describe(bulk) +
           " vs " + describe(z));
  }
}

inline int zip_inflate_one_input(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Input in(data, size);
  switch (in.byte() % 3) {
    case 0:
      raw_archive(in);
      break;
    case 1:
      deflate_body(in);
      break;
    default:
      mutated_resume(in);
      break;
  }
  return 0;
}

}  // namespace snapdelta::fuzz_zip

#ifndef SNAPDELTA_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return snapdelta::fuzz_zip::zip_inflate_one_input(data, size);
}
#endif
