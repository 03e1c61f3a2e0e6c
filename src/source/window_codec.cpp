#include "source/window_codec.h"

#include <isa-l/igzip_lib.h>
#include <zlib.h>

#include <cstdint>
#include <memory>

#include "common/error.h"
#include "source/deflate_window.h"

namespace snapdelta {

std::string pack_window(const std::string& window) {
  // MEDIUM holds the tokens of a whole 32 KiB window; the default (LARGE) is twice that, and each
  // page of it is a fresh page fault in a short run. Left uninitialized: ISA-L sets what it reads.
  static_assert(ISAL_DEF_LVL1_MEDIUM >=
                ISAL_DEF_LVL1_REQ + ISAL_DEF_LVL1_TOKEN_SIZE * kDeflateWindow);
  thread_local std::unique_ptr<uint8_t[]> level_buf(new uint8_t[ISAL_DEF_LVL1_MEDIUM]);
  std::string out(window.size() + window.size() / 8 + 1024, '\0');
  isal_zstream z;
  isal_deflate_stateless_init(&z);
  z.level = 1;
  z.level_buf = level_buf.get();
  z.level_buf_size = ISAL_DEF_LVL1_MEDIUM;
  z.gzip_flag = IGZIP_ZLIB;
  z.end_of_stream = 1;
  z.flush = NO_FLUSH;
  z.next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(window.data()));
  z.avail_in = static_cast<uint32_t>(window.size());
  z.next_out = reinterpret_cast<uint8_t*>(out.data());
  z.avail_out = static_cast<uint32_t>(out.size());
  if (isal_deflate_stateless(&z) != COMP_OK) throw Error("cannot compress a checkpoint window");
  out.resize(z.total_out);
  return out;
}

bool unpack_window(const std::string& blob, std::string& window) {
  window.assign(kDeflateWindow, '\0');
  uLongf size = kDeflateWindow;
  if (uncompress(reinterpret_cast<Bytef*>(window.data()), &size,
                 reinterpret_cast<const Bytef*>(blob.data()),
                 static_cast<uLong>(blob.size())) != Z_OK) {
    return false;
  }
  window.resize(size);
  return true;
}

}  // namespace snapdelta
