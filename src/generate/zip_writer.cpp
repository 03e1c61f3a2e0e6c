#include "generate/zip_writer.h"

#include <minizip/zip.h>

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "common/date.h"
#include "common/error.h"
#include "generate/output_file.h"

namespace snapdelta::generate {
namespace {

constexpr uint64_t kZip32Limit = 0xFFFFFFFFULL;

// 00:00 of `date`, clamped to what a DOS timestamp can hold.
zip_fileinfo file_info_for(int32_t date) {
  const int32_t first = days_from_civil(1980, 1, 1);
  const int32_t last = days_from_civil(2107, 12, 31);
  char text[10];
  format_date_to(date < first ? first : (date > last ? last : date), text);
  auto num = [&](int from, int n) {
    uInt v = 0;
    for (int i = from; i < from + n; ++i) v = v * 10 + static_cast<uInt>(text[i] - '0');
    return v;
  };
  zip_fileinfo info{};
  info.tmz_date.tm_year = num(0, 4);
  info.tmz_date.tm_mon = num(5, 2) - 1;
  info.tmz_date.tm_mday = num(8, 2);
  return info;
}

uint64_t total_size(const ZipEntry& entry) {
  uint64_t n = 0;
  for (const auto& piece : entry.deflate_pieces) n += piece.size();
  return n;
}

bool write_pieces(zipFile zf, const ZipEntry& entry) {
  constexpr size_t kMaxWrite = size_t{1} << 30;
  for (auto piece : entry.deflate_pieces) {
    while (!piece.empty()) {
      const size_t n = piece.size() < kMaxWrite ? piece.size() : kMaxWrite;
      if (zipWriteInFileInZip(zf, piece.data(), static_cast<unsigned>(n)) != ZIP_OK) return false;
      piece = piece.subspan(n);
    }
  }
  return true;
}

// Writes the archive to `path`; returns a description of the failing step, or nullptr.
const char* write_archive(const std::string& path, const ZipEntry& entry) {
  zipFile zf = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  if (zf == nullptr) return "cannot create file";
  const zip_fileinfo info = file_info_for(entry.date);
  const int zip64 = entry.force_zip64 || needs_zip64(entry.uncompressed_size, total_size(entry));
  const char* error = nullptr;
  if (zipOpenNewFileInZip4_64(zf, entry.name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr,
                              Z_DEFLATED, 6, /*raw=*/1, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, nullptr,
                              0, /*versionMadeBy=*/0, /*flagBase=*/0, zip64) != ZIP_OK) {
    error = "cannot open the zip entry";
  } else if (!write_pieces(zf, entry)) {
    error = "write failed";
  } else if (zipCloseFileInZipRaw64(zf, entry.uncompressed_size, entry.crc32) != ZIP_OK) {
    error = "cannot close the zip entry";
  }
  if (zipClose(zf, nullptr) != ZIP_OK && error == nullptr) error = "cannot finish the zip file";
  return error;
}

}  // namespace

bool needs_zip64(uint64_t uncompressed_size, uint64_t compressed_size) {
  return uncompressed_size >= kZip32Limit || compressed_size >= kZip32Limit;
}

void write_zip(const std::string& path, const ZipEntry& entry) {
  const std::string tmp = path + ".tmp";
  if (const char* error = write_archive(tmp, entry)) {
    std::remove(tmp.c_str());
    fail(tmp, error);
  }
  move_into_place(tmp, path);
}

}  // namespace snapdelta::generate
