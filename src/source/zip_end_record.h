// zip_end_record: a zip archive's end-of-central-directory record, found as minizip finds it (the
// last "PK\5\6" signature in the file's last 22 + 65535 bytes), and the check that the archive ends
// there: a cumulative drop must end where its data ends, as gzip and zstd drops must.
// Contract: find_zip_end() returns the record's offset, the entries it declares and its comment's
// length; nullopt when the tail holds no whole record (or cannot be read). check_zip_end() throws
// snapdelta::Error, one line naming the path and the byte offset, when the record's comment does
// not end exactly at the end of the file ("found 8 more bytes: text ..."), or when a ZIP64
// end-of-central-directory locator precedes the record and the ZIP64 record it names is not there,
// ending right where the locator begins. It expects a record to be there (minizip opened the file).
#pragma once

#include <cstdint>
#include <optional>

namespace snapdelta {

class FileReader;

struct ZipEnd {
  uint64_t offset = 0;  // the record's signature
  uint16_t entries = 0;
  uint16_t comment_length = 0;

  uint64_t end() const { return offset + 22 + comment_length; }
};

std::optional<ZipEnd> find_zip_end(const FileReader& file);

void check_zip_end(const FileReader& file);

}  // namespace snapdelta
