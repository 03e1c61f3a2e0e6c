#include "source/zip_file_io.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <string>

#include "source/file_reader.h"

namespace snapdelta {
namespace {

constexpr uint64_t kBlock = 64 * 1024;

struct BlockFile {
  explicit BlockFile(const char* path) : reader(path) {}
  FileReader reader;
  uint64_t pos = 0;
  std::string block;  // the file's bytes [block_at, block_at + block.size())
  uint64_t block_at = 0;
  bool failed = false;
};

// Reads the aligned block holding [at, at + size) (clipped to the file) into `f.block`.
void fill(BlockFile& f, uint64_t at, uint64_t size) {
  const uint64_t start = at & ~(kBlock - 1);
  const uint64_t end = std::min(f.reader.size(), std::max(start + kBlock, at + size));
  f.block.resize(end - start);
  f.block_at = start;
  f.reader.read_at(start, f.block.data(), f.block.size());
}

voidpf ZCALLBACK open_file(voidpf opened, const void* path, int mode) {
  if ((mode & ZLIB_FILEFUNC_MODE_READWRITEFILTER) != ZLIB_FILEFUNC_MODE_READ) return nullptr;
  try {
    auto* f = new BlockFile(static_cast<const char*>(path));
    if (opened != nullptr) *static_cast<const FileReader**>(opened) = &f->reader;
    return f;
  } catch (const std::exception&) {
    return nullptr;
  }
}

uLong ZCALLBACK read_file(voidpf, voidpf stream, void* buf, uLong size) {
  auto& f = *static_cast<BlockFile*>(stream);
  if (f.pos >= f.reader.size() || size == 0) return 0;
  const uint64_t n = std::min<uint64_t>(size, f.reader.size() - f.pos);
  try {
    if (f.pos < f.block_at || f.pos + n > f.block_at + f.block.size()) fill(f, f.pos, n);
  } catch (const std::exception&) {
    f.failed = true;
    return 0;
  }
  std::memcpy(buf, f.block.data() + (f.pos - f.block_at), n);
  f.pos += n;
  return static_cast<uLong>(n);
}

uLong ZCALLBACK write_file(voidpf, voidpf, const void*, uLong) { return 0; }

ZPOS64_T ZCALLBACK tell_file(voidpf, voidpf stream) { return static_cast<BlockFile*>(stream)->pos; }

long ZCALLBACK seek_file(voidpf, voidpf stream, ZPOS64_T offset, int origin) {
  auto& f = *static_cast<BlockFile*>(stream);
  switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET:
      f.pos = offset;
      return 0;
    case ZLIB_FILEFUNC_SEEK_CUR:
      f.pos += offset;
      return 0;
    case ZLIB_FILEFUNC_SEEK_END:
      f.pos = f.reader.size() + offset;
      return 0;
    default:
      return -1;
  }
}

int ZCALLBACK close_file(voidpf, voidpf stream) {
  delete static_cast<BlockFile*>(stream);
  return 0;
}

int ZCALLBACK error_file(voidpf, voidpf stream) {
  return static_cast<BlockFile*>(stream)->failed ? 1 : 0;
}

}  // namespace

zlib_filefunc64_def zip_file_io(const FileReader** opened) {
  zlib_filefunc64_def io{};
  io.zopen64_file = open_file;
  io.zread_file = read_file;
  io.zwrite_file = write_file;
  io.ztell64_file = tell_file;
  io.zseek64_file = seek_file;
  io.zclose_file = close_file;
  io.zerror_file = error_file;
  io.opaque = static_cast<voidpf>(opened);
  return io;
}

}  // namespace snapdelta
