// libFuzzer target: the gzip container reader (source/gzip_reader.h).
//
// Byte 0 of the input picks a mode; the rest is read by that mode:
// 0. raw file: the bytes are a .gz file. inflate_gzip() must throw snapdelta::Error or succeed;
//    when it succeeds, zlib's own gunzip (windowBits 31, member after member) must deliver the
//    same bytes, the members must tile the file exactly, and reading again from every member
//    boundary must deliver exactly the rest.
// 1. valid members: the bytes (after 3 split bytes) are a text cut into up to 4 parts, each
//    written by zlib as one gzip member at a level the split bytes pick. The reader must accept
//    the file and deliver the text.
// Everywhere only snapdelta::Error may be thrown; a broken property throws std::logic_error.
//
// hostile_input_test.cpp includes this file with SNAPDELTA_FUZZ_NO_MAIN defined and replays
// every fuzz/regressions/gzip_reader_fuzz-* file through gzip_reader_one_input().
#include <unistd.h>
#include <zlib.h>

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
#include "source/gzip_reader.h"

namespace snapdelta::fuzz_gzip {

using fuzz_support::broken;
using fuzz_support::kCap;
using fuzz_support::KeepSink;
using fuzz_support::scratch_path;
using fuzz_support::write_scratch;

// zlib's gunzip of every member in turn; false when zlib fails or the output passes `cap`.
inline bool zlib_gunzip(std::string_view gz, std::string& out, size_t cap) {
  size_t at = 0;
  std::vector<uint8_t> buf(1 << 16);
  while (at < gz.size()) {
    z_stream z{};
    if (inflateInit2(&z, 31) != Z_OK) return false;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data() + at));
    z.avail_in = static_cast<uInt>(gz.size() - at);
    int ret = Z_OK;
    while (ret == Z_OK && out.size() <= cap) {
      z.next_out = buf.data();
      z.avail_out = static_cast<uInt>(buf.size());
      ret = ::inflate(&z, Z_NO_FLUSH);
      out.append(reinterpret_cast<const char*>(buf.data()), buf.size() - z.avail_out);
    }
    at += z.total_in;
    inflateEnd(&z);
    if (ret != Z_STREAM_END) return false;
  }
  return true;
}

inline void raw_file(std::string_view bytes) {
  write_scratch(bytes);
  const FileReader file(scratch_path());
  KeepSink sink;
  std::vector<GzipMember> members;
  try {
    members = inflate_gzip(file, sink);
  } catch (const Error&) {
    return;
  }
  std::string reference;
  if (!zlib_gunzip(bytes, reference, 64 << 20) || reference != sink.out) {
    broken("the reader accepts a file zlib reads otherwise");
  }
  uint64_t at = 0;
  for (const GzipMember& m : members) {
    if (m.offset != at) broken("members do not tile the file");
    at = m.end();
    KeepSink rest;
    inflate_gzip(file, rest, GzipStart{m.offset, m.out_offset, m.index});
    if (rest.out != sink.out.substr(m.out_offset)) broken("a read from a member differs");
  }
  if (at != bytes.size()) broken("members do not end at the end of the file");
}

inline std::string gzip_member(std::string_view text, int level) {
  z_stream z{};
  deflateInit2(&z, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, text.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

inline void valid_members(std::string_view in) {
  if (in.size() < 3) return;
  const auto* split = reinterpret_cast<const uint8_t*>(in.data());
  const std::string_view text = in.substr(3);
  std::string gz;
  size_t from = 0;
  for (int i = 0; i < 3; ++i) {
    const size_t to = text.empty() ? 0 : from + split[i] % (text.size() - from + 1);
    gz += gzip_member(text.substr(from, to - from), split[i] % 10);
    from = to;
  }
  gz += gzip_member(text.substr(from), 6);
  write_scratch(gz);
  KeepSink sink;
  try {
    inflate_gzip(FileReader(scratch_path()), sink);
  } catch (const Error& e) {
    broken(std::string("zlib-made members are refused: ") + e.what());
  }
  if (sink.out != text) broken("zlib-made members inflate to other bytes");
}

inline int gzip_reader_one_input(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    raw_file(rest);
  } else {
    valid_members(rest);
  }
  return 0;
}

}  // namespace snapdelta::fuzz_gzip

#ifndef SNAPDELTA_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return snapdelta::fuzz_gzip::gzip_reader_one_input(data, size);
}
#endif
