#include "source/zip_entry.h"

#include <fmt/format.h>
#include <fnmatch.h>
#include <minizip/unzip.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include "common/error.h"
#include "source/container_sniff.h"
#include "source/file_reader.h"
#include "source/zip_end_record.h"
#include "source/zip_file_io.h"

namespace snapdelta {
namespace {

struct UnzCloser {
  unzFile f;
  ~UnzCloser() {
    if (f) unzClose(f);
  }
};

bool is_directory_name(const std::string& name) { return !name.empty() && name.back() == '/'; }

// minizip 1.1 compares 32-bit size fields with (unsigned long)-1, which never matches on LP64, so
// it ignores the ZIP64 extra field (id 0x0001): read the 64-bit sizes from it here.
void apply_zip64_extra(const unsigned char* extra, size_t size, ZipEntry& entry) {
  auto u16 = [&](size_t i) { return static_cast<uint16_t>(extra[i] | extra[i + 1] << 8); };
  auto u64 = [&](size_t i) {
    uint64_t v = 0;
    for (int b = 7; b >= 0; --b) v = v << 8 | extra[i + static_cast<size_t>(b)];
    return v;
  };
  for (size_t i = 0; i + 4 <= size;) {
    const uint16_t id = u16(i);
    const size_t len = u16(i + 2);
    if (i + 4 + len > size) return;
    if (id == 0x0001) {
      size_t at = i + 4;
      if (entry.uncompressed_size == 0xFFFFFFFFu && at + 8 <= i + 4 + len) {
        entry.uncompressed_size = u64(at);
        at += 8;
      }
      if (entry.compressed_size == 0xFFFFFFFFu && at + 8 <= i + 4 + len)
        entry.compressed_size = u64(at);
      return;
    }
    i += 4 + len;
  }
}

// True when the file ends in an end-of-central-directory record that lists no entries (minizip
// refuses such archives as if they were not zips at all).
bool declares_no_entries(const FileReader& file) {
  const std::optional<ZipEnd> end = find_zip_end(file);
  return end && end->entries == 0;
}

// Why minizip found no archive: the bytes are another container or text (saying which), an
// archive that lists no entries, or a zip archive cut short.
[[noreturn]] void fail_unopened(const std::string& path) {
  const FileReader file(path);
  std::vector<uint8_t> head(static_cast<size_t>(std::min<uint64_t>(file.size(), kSniffBytes)));
  file.read_at(0, head.data(), head.size());
  const ContainerKind kind = sniff_container(head);
  if ((kind == ContainerKind::zip || kind == ContainerKind::binary) && declares_no_entries(file))
    fail(path, "expected one CSV member, found an empty archive");
  if (kind != ContainerKind::zip)
    fail(path, "expected a zip archive, found " + describe_found(head));
  fail(path,
       "expected a zip archive, found a zip archive without a valid central directory "
       "(truncated)");
}

// Fills `entry` from the current central directory entry, the member `member` (the first file
// member), and checks it can be read: stored or deflate, not encrypted, a valid local header.
void take_member(unzFile zip, const std::string& path, const std::string& member,
                 const unz_file_info64& info, const std::vector<unsigned char>& extra,
                 ZipEntry& entry) {
  entry.name = member;
  entry.method = static_cast<int>(info.compression_method);
  entry.compressed_size = info.compressed_size;
  entry.uncompressed_size = info.uncompressed_size;
  apply_zip64_extra(extra.data(), std::min<size_t>(info.size_file_extra, extra.size()), entry);
  entry.crc32 = static_cast<uint32_t>(info.crc);
  if (entry.method != 0 && entry.method != 8) {
    fail(path,
         fmt::format("member {}: expected compression method stored or deflate, found method {}",
                     member, entry.method));
  }
  if (info.flag & 1)
    fail(path, fmt::format("member {}: encrypted members are not supported", member));
  int method = 0, level = 0;
  if (unzOpenCurrentFile2(zip, &method, &level, /*raw=*/1) != UNZ_OK) {
    fail(path, fmt::format("member {}: expected a local file header, found corrupt bytes", member));
  }
  entry.data_offset = unzGetCurrentFileZStreamPos64(zip);
  unzCloseCurrentFile(zip);
}

struct Members {
  int files = 0;    // file members (directories are not members)
  int matched = 0;  // of them, those the entry glob matches (every one without a glob)
  std::vector<std::string> names;
};

// Walks the central directory: fills `entry` from the first file member `glob` matches ("":
// any) and counts the members.
Members read_members(unzFile zip, const std::string& path, const std::string& glob,
                     ZipEntry& entry) {
  Members m;
  int rc = unzGoToFirstFile(zip);
  while (rc == UNZ_OK) {
    unz_file_info64 info{};
    // Sized from the entry itself (a name and an extra field hold at most 65535 bytes each).
    if (unzGetCurrentFileInfo64(zip, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) {
      fail(path, "expected a zip central directory entry, found corrupt bytes");
    }
    std::vector<char> name(info.size_filename + 1);
    std::vector<unsigned char> extra(info.size_file_extra);
    if (unzGetCurrentFileInfo64(zip, &info, name.data(), name.size(), extra.data(), extra.size(),
                                nullptr, 0) != UNZ_OK) {
      fail(path, "expected a zip central directory entry, found corrupt bytes");
    }
    std::string member(name.data());
    if (!is_directory_name(member)) {
      ++m.files;
      m.names.push_back(member);
      if ((glob.empty() || ::fnmatch(glob.c_str(), member.c_str(), 0) == 0) && ++m.matched == 1)
        take_member(zip, path, member, info, extra, entry);
    }
    rc = unzGoToNextFile(zip);
  }
  if (rc != UNZ_END_OF_LIST_OF_FILE) {
    fail(path, "expected a zip central directory, found corrupt bytes");
  }
  return m;
}

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < 10; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 10) out += fmt::format(", ... ({} in all)", names.size());
  return out;
}

// One line when the glob leaves no member, or several, to read.
void check_choice(const std::string& path, const std::string& glob, const Members& m) {
  if (glob.empty() && m.files > 1) {
    fail(path, fmt::format("expected one CSV member, found {} files ({}); name the one to read "
                           "with entry = \"GLOB\" in the job's [source]",
                           m.files, listed(m.names)));
  }
  if (!glob.empty() && m.matched == 0) {
    fail(path, fmt::format("expected a member matching entry \"{}\", found none among {}", glob,
                           listed(m.names)));
  }
  if (!glob.empty() && m.matched > 1) {
    std::vector<std::string> matching;
    for (const std::string& n : m.names)
      if (::fnmatch(glob.c_str(), n.c_str(), 0) == 0) matching.push_back(n);
    fail(path, fmt::format("expected one member matching entry \"{}\", found {} ({})", glob,
                           m.matched, listed(matching)));
  }
}

}  // namespace

ZipEntry locate_zip_entry(const std::string& path, const std::string& entry_glob) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    fail(path, std::string("cannot open file: ") + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) fail(path, "expected a zip file, found a directory");
  ZipEntry entry;
  entry.archive_path = path;
  entry.archive_size = static_cast<uint64_t>(st.st_size);
  if (entry.archive_size == 0) fail(path, "expected a zip archive, found an empty file");

  const FileReader* opened = nullptr;
  zlib_filefunc64_def io = zip_file_io(&opened);
  UnzCloser zip{unzOpen2_64(path.c_str(), &io)};
  if (!zip.f) fail_unopened(path);
  check_zip_end(*opened);  // the file minizip opened, not a second open
  unz_global_info64 global{};
  if (unzGetGlobalInfo64(zip.f, &global) != UNZ_OK) {
    fail(path, "expected a zip central directory, found corrupt bytes");
  }
  if (global.number_entry == 0) fail(path, "expected one CSV member, found an empty archive");

  const Members members = read_members(zip.f, path, entry_glob, entry);
  if (members.files == 0) fail(path, "expected one CSV member, found an empty archive");
  check_choice(path, entry_glob, members);
  if (entry.data_offset > entry.archive_size ||
      entry.compressed_size > entry.archive_size - entry.data_offset) {
    fail(path,
         fmt::format("expected member {} to hold {} bytes from offset {}, found a file of {} "
                     "bytes (truncated zip)",
                     entry.name, entry.compressed_size, entry.data_offset, entry.archive_size));
  }
  if (entry.method == 0 && entry.compressed_size != entry.uncompressed_size) {
    fail(path, fmt::format("expected stored member {} to be as large as its contents, found {} "
                           "bytes holding {} (corrupt zip)",
                           entry.name, entry.compressed_size, entry.uncompressed_size));
  }
  return entry;
}

}  // namespace snapdelta
