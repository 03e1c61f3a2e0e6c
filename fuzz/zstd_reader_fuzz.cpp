// libFuzzer target: the zstd container reader (source/zstd_frames.h, source/zstd_reader.h).
//
// Byte 0 of the input picks a mode; the rest is read by that mode:
// 0. raw file: the bytes are a .zst file. decompress_zstd() must throw snapdelta::Error or
//    succeed; when it succeeds, libzstd's own streaming decompression of the whole buffer must
//    deliver the same bytes, each frame's size must be ZSTD_findFrameCompressedSize at its
//    offset, the frames must tile the file, and reading again from every frame must deliver
//    exactly the rest.
// 1. valid frames: the bytes (after 3 split bytes) are a text cut into up to 4 parts, each
//    written by libzstd as one frame (with or without checksum and content size, as the split
//    bytes pick), with a skippable frame between two of them. The reader must deliver the text.
// Everywhere only snapdelta::Error may be thrown; a broken property throws std::logic_error.
//
// hostile_input_test.cpp includes this file with SNAPDELTA_FUZZ_NO_MAIN defined and replays
// every fuzz/regressions/zstd_reader_fuzz-* file through zstd_reader_one_input().
#include <unistd.h>
#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_writeSkippableFrame
#include <zstd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "reader_fuzz_support.h"
#include "source/byte_sink.h"
#include "source/file_reader.h"
#include "source/zstd_reader.h"

namespace snapdelta::fuzz_zstd {

using fuzz_support::broken;
using fuzz_support::kCap;
using fuzz_support::KeepSink;
using fuzz_support::scratch_path;
using fuzz_support::write_scratch;

// libzstd's streaming decompression of the whole buffer; false on an error or past `cap`.
inline bool zstd_reference(std::string_view z, std::string& out, size_t cap) {
  ZSTD_DCtx* d = ZSTD_createDCtx();
  ZSTD_inBuffer in{z.data(), z.size(), 0};
  std::vector<char> buf(1 << 16);
  size_t rc = 0;
  bool ok = true;
  while (ok && out.size() <= cap) {
    ZSTD_outBuffer o{buf.data(), buf.size(), 0};
    rc = ZSTD_decompressStream(d, &o, &in);
    ok = !ZSTD_isError(rc);
    if (ok) out.append(buf.data(), o.pos);
    if (ok && in.pos == in.size && o.pos < o.size) break;
  }
  ZSTD_freeDCtx(d);
  return ok && rc == 0 && out.size() <= cap;
}

inline void raw_file(std::string_view bytes) {
  write_scratch(bytes);
  const FileReader file(scratch_path());
  KeepSink sink;
  std::vector<ZstdFrameRead> frames;
  try {
    frames = decompress_zstd(file, sink);
  } catch (const Error&) {
    return;
  }
  std::string reference;
  if (!zstd_reference(bytes, reference, 256 << 20) || reference != sink.out) {
    broken("the reader accepts a file libzstd reads otherwise");
  }
  uint64_t at = 0;
  for (const ZstdFrameRead& r : frames) {
    const ZstdFrame& f = r.frame;
    if (f.offset != at) broken("frames do not tile the file");
    if (f.compressed_size != ZSTD_findFrameCompressedSize(bytes.data() + at, bytes.size() - at)) {
      broken("a frame's size differs from ZSTD_findFrameCompressedSize");
    }
    at = f.end();
    KeepSink rest;
    decompress_zstd(file, rest, ZstdStart{f.offset, f.index}, r.out_offset);
    if (rest.out != sink.out.substr(r.out_offset)) broken("a read from a frame differs");
  }
  if (at != bytes.size()) broken("frames do not end at the end of the file");
}

inline std::string zstd_frame(std::string_view text, uint8_t how) {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 1 + how % 5);
  ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, (how / 5) % 2);
  std::string out(ZSTD_compressBound(text.size()) + 64, '\0');
  ZSTD_inBuffer in{text.data(), text.size(), 0};
  ZSTD_outBuffer o{out.data(), out.size(), 0};
  if ((how / 10) % 2) {
    out.resize(ZSTD_compress2(c, out.data(), out.size(), text.data(), text.size()));
  } else {
    while (ZSTD_compressStream2(c, &o, &in, ZSTD_e_end) != 0) {
    }
    out.resize(o.pos);
  }
  ZSTD_freeCCtx(c);
  return out;
}

inline void valid_frames(std::string_view in) {
  if (in.size() < 3) return;
  const auto* split = reinterpret_cast<const uint8_t*>(in.data());
  const std::string_view text = in.substr(3);
  std::string z;
  size_t from = 0;
  for (int i = 0; i < 3; ++i) {
    const size_t to = text.empty() ? 0 : from + split[i] % (text.size() - from + 1);
    z += zstd_frame(text.substr(from, to - from), split[i]);
    from = to;
    if (i == 1) {
      std::string skip(16, '\0');
      skip.resize(ZSTD_writeSkippableFrame(skip.data(), skip.size(), "meta", 4, split[2] % 16));
      z += skip;
    }
  }
  z += zstd_frame(text.substr(from), 0);
  write_scratch(z);
  KeepSink sink;
  try {
    decompress_zstd(FileReader(scratch_path()), sink);
  } catch (const Error& e) {
    broken(std::string("libzstd-made frames are refused: ") + e.what());
  }
  if (sink.out != text) broken("libzstd-made frames decompress to other bytes");
}

inline int zstd_reader_one_input(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    raw_file(rest);
  } else {
    valid_frames(rest);
  }
  return 0;
}

}  // namespace snapdelta::fuzz_zstd

#ifndef SNAPDELTA_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return snapdelta::fuzz_zstd::zstd_reader_one_input(data, size);
}
#endif
