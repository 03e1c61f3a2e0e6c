#include "source/container_entry.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "common/error.h"
#include "source/container_sniff.h"
#include "source/file_reader.h"
#include "source/gzip_header.h"

namespace snapdelta {
namespace {

constexpr uint64_t kGzipTrailer = 8;

std::vector<uint8_t> head_of(const FileReader& file) {
  std::vector<uint8_t> head(static_cast<size_t>(std::min<uint64_t>(kSniffBytes, file.size())));
  if (!head.empty()) file.read_at(0, head.data(), head.size());
  return head;
}

// Throws unless the file's first bytes are `want` (text: any text).
void require_kind(const FileReader& file, ContainerKind want, std::string_view expected) {
  const std::vector<uint8_t> head = head_of(file);
  if (sniff_container(head) != want) {
    fail(file.path(), fmt::format("expected {}, found {}", expected, describe_found(head)));
  }
}

uint32_t le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

ZipEntry whole_file(const FileReader& file, int method) {
  ZipEntry e;
  e.archive_path = file.path();
  e.name = std::filesystem::path(file.path()).filename().string();
  e.method = method;
  e.data_offset = 0;
  e.compressed_size = file.size();
  e.archive_size = file.size();
  return e;
}

ZipEntry gzip_entry(const FileReader& file) {
  require_kind(file, ContainerKind::gzip, "a gzip file");
  const GzipHeader header = read_gzip_header(file, 0);
  if (file.size() < header.length + kGzipTrailer) {
    fail(file.path(), fmt::format("truncated gzip file: expected a deflate stream and an 8-byte "
                                  "trailer after the {}-byte header, found {} bytes in all",
                                  header.length, file.size()));
  }
  uint8_t trailer[kGzipTrailer];
  file.read_at(file.size() - kGzipTrailer, trailer, kGzipTrailer);
  ZipEntry e = whole_file(file, 8);
  if (!header.name.empty()) e.name = header.name;
  e.data_offset = header.length;
  e.compressed_size = file.size() - kGzipTrailer - header.length;
  e.crc32 = le32(trailer);
  e.uncompressed_size = le32(trailer + 4);
  return e;
}

}  // namespace

ZipEntry locate_drop_entry(const std::string& path, Container container,
                           const std::string& entry_glob) {
  if (container == Container::zip) return locate_zip_entry(path, entry_glob);
  const FileReader file(path);
  switch (container) {
    case Container::gzip:
      return gzip_entry(file);
    case Container::zstd:
      require_kind(file, ContainerKind::zstd, "a zstd file");
      return whole_file(file, kZstdMethod);
    case Container::csv:
    case Container::zip:
      break;
  }
  require_kind(file, ContainerKind::text, "a CSV file (text)");
  ZipEntry e = whole_file(file, 0);
  e.uncompressed_size = file.size();
  return e;
}

}  // namespace snapdelta
