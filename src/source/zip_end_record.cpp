#include "source/zip_end_record.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <vector>

#include "common/error.h"
#include "source/container_sniff.h"
#include "source/file_reader.h"

namespace snapdelta {
namespace {

constexpr uint64_t kEndRecord = 22;
constexpr uint64_t kZip64Locator = 20;
constexpr uint64_t kZip64RecordLead = 12;  // signature and the record's size field

uint64_t little(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int b = bytes - 1; b >= 0; --b) v = v << 8 | p[b];
  return v;
}

bool signature_at(const uint8_t* p, uint8_t a, uint8_t b) {
  return p[0] == 'P' && p[1] == 'K' && p[2] == a && p[3] == b;
}

// The ZIP64 record the locator just before the end record names must be there and end where the
// locator begins.
void check_zip64(const FileReader& file, const ZipEnd& end) {
  if (end.offset < kZip64Locator) return;
  std::array<uint8_t, kZip64Locator> locator{};
  const uint64_t at = end.offset - kZip64Locator;
  file.read_at(at, locator.data(), locator.size());
  if (!signature_at(locator.data(), 6, 7)) return;
  const uint64_t record = little(locator.data() + 8, 8);
  std::array<uint8_t, kZip64RecordLead> lead{};
  if (record <= at && at - record >= lead.size()) {
    file.read_at(record, lead.data(), lead.size());
    if (signature_at(lead.data(), 6, 6) &&
        little(lead.data() + 4, 8) == at - record - kZip64RecordLead)
      return;
  }
  fail(file.path(), fmt::format("expected the ZIP64 end-of-central-directory record the locator at "
                                "byte {} names at byte {}, ending where the locator begins, found "
                                "other bytes (corrupt zip)",
                                at, record));
}

// The last record signature in the file's last `most` bytes, searched from the end.
std::optional<ZipEnd> search_tail(const FileReader& file, uint64_t most) {
  const uint64_t size = file.size();
  if (size < kEndRecord) return std::nullopt;
  const uint64_t span = std::min<uint64_t>(size, most);
  std::vector<uint8_t> tail(span);
  try {
    file.read_at(size - span, tail.data(), tail.size());
  } catch (const Error&) {
    return std::nullopt;
  }
  for (uint64_t i = span - kEndRecord + 1; i-- > 0;) {
    if (signature_at(&tail[i], 5, 6)) {
      return ZipEnd{size - span + i, static_cast<uint16_t>(little(&tail[i + 10], 2)),
                    static_cast<uint16_t>(little(&tail[i + 20], 2))};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<ZipEnd> find_zip_end(const FileReader& file) {
  // The last 4 KiB first (a record without a long comment is there), then all a comment allows.
  for (const uint64_t most : {uint64_t{4096}, kEndRecord + 65535}) {
    if (std::optional<ZipEnd> end = search_tail(file, most)) return end;
    if (file.size() <= most) break;
  }
  return std::nullopt;
}

void check_zip_end(const FileReader& file) {
  const std::optional<ZipEnd> end = find_zip_end(file);
  if (!end) return;
  if (end->end() > file.size()) {
    fail(file.path(),
         fmt::format("expected the {}-byte comment of the zip end-of-central-directory "
                     "record to end at byte {}, found the end of the file at byte {} "
                     "(truncated)",
                     end->comment_length, end->end(), file.size()));
  }
  if (end->end() < file.size()) {
    fail(file.path(),
         fmt::format("expected the end of the file after the zip end-of-central-directory record "
                     "(and its {}-byte comment) at byte {}, found {}",
                     end->comment_length, end->end(), found_after(file, end->end())));
  }
  check_zip64(file, *end);
}

}  // namespace snapdelta
