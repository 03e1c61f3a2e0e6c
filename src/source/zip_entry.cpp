#include "source/zip_entry.h"

#include <fmt/format.h>
#include <minizip/unzip.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "common/error.h"

namespace snapdelta {
namespace {

struct UnzCloser {
  unzFile f;
  ~UnzCloser() {
    if (f) unzClose(f);
  }
};

bool is_directory_name(const std::string& name) { return !name.empty() && name.back() == '/'; }

}  // namespace

ZipEntry locate_zip_entry(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    fail(path, std::string("cannot open file: ") + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) fail(path, "expected a zip file, found a directory");
  ZipEntry entry;
  entry.archive_path = path;
  entry.archive_size = static_cast<uint64_t>(st.st_size);
  if (entry.archive_size == 0) fail(path, "expected a zip archive, found an empty file");

  UnzCloser zip{unzOpen64(path.c_str())};
  if (!zip.f) {
    fail(path,
         "expected a zip archive, found no valid zip central directory (not a zip, or truncated)");
  }
  unz_global_info64 global{};
  if (unzGetGlobalInfo64(zip.f, &global) != UNZ_OK) fail(path, "corrupt zip central directory");
  if (global.number_entry == 0) fail(path, "expected one CSV member, found an empty archive");

  int files = 0;
  bool found = false;
  int rc = unzGoToFirstFile(zip.f);
  while (rc == UNZ_OK) {
    unz_file_info64 info{};
    std::vector<char> name(65536);
    if (unzGetCurrentFileInfo64(zip.f, &info, name.data(), name.size(), nullptr, 0, nullptr, 0) !=
        UNZ_OK) {
      fail(path, "corrupt zip central directory entry");
    }
    std::string member(name.data());
    if (!is_directory_name(member)) {
      ++files;
      if (!found) {
        found = true;
        entry.name = member;
        entry.method = static_cast<int>(info.compression_method);
        entry.compressed_size = info.compressed_size;
        entry.uncompressed_size = info.uncompressed_size;
        entry.crc32 = static_cast<uint32_t>(info.crc);
        if (entry.method != 0 && entry.method != 8) {
          fail(path,
               fmt::format(
                   "member {}: expected compression method stored or deflate, found method {}",
                   member, entry.method));
        }
        if (info.flag & 1)
          fail(path, fmt::format("member {}: encrypted members are not supported", member));
        int method = 0, level = 0;
        if (unzOpenCurrentFile2(zip.f, &method, &level, /*raw=*/1) != UNZ_OK) {
          fail(path, fmt::format("member {}: corrupt local file header", member));
        }
        entry.data_offset = unzGetCurrentFileZStreamPos64(zip.f);
        unzCloseCurrentFile(zip.f);
      }
    }
    rc = unzGoToNextFile(zip.f);
  }
  if (rc != UNZ_END_OF_LIST_OF_FILE) fail(path, "corrupt zip central directory");
  if (files == 0) fail(path, "expected one CSV member, found an empty archive");
  if (files > 1) fail(path, fmt::format("expected one CSV member, found {} files", files));
  if (entry.data_offset > entry.archive_size ||
      entry.compressed_size > entry.archive_size - entry.data_offset) {
    fail(path,
         fmt::format("truncated zip: member {} needs {} bytes at offset {}, file has {}",
                     entry.name, entry.compressed_size, entry.data_offset, entry.archive_size));
  }
  if (entry.method == 0 && entry.compressed_size != entry.uncompressed_size) {
    fail(path, "corrupt zip: stored member's sizes differ");
  }
  return entry;
}

}  // namespace snapdelta
