#include "source/container_sniff.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "common/error.h"
#include "source/file_reader.h"

namespace snapdelta {
namespace {

bool starts_with(std::span<const uint8_t> head, std::initializer_list<uint8_t> magic) {
  return head.size() >= magic.size() && std::equal(magic.begin(), magic.end(), head.begin());
}

bool is_zip(std::span<const uint8_t> head) {
  return starts_with(head, {'P', 'K', 3, 4}) || starts_with(head, {'P', 'K', 5, 6}) ||
         starts_with(head, {'P', 'K', 7, 8});
}

bool is_zstd(std::span<const uint8_t> head) {
  if (starts_with(head, {0x28, 0xb5, 0x2f, 0xfd})) return true;
  // Skippable frames: magic 0x184D2A50..0x184D2A5F, little endian.
  return head.size() >= 4 && (head[0] & 0xf0) == 0x50 && head[1] == 0x2a && head[2] == 0x4d &&
         head[3] == 0x18;
}

bool is_text_byte(uint8_t c) {
  if (c >= 0x20 && c != 0x7f) return true;
  return c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x1b;
}

}  // namespace

ContainerKind sniff_container(std::span<const uint8_t> head) {
  head = head.first(std::min(head.size(), kSniffBytes));
  if (head.empty()) return ContainerKind::empty;
  if (is_zip(head)) return ContainerKind::zip;
  if (starts_with(head, {0x1f, 0x8b})) return ContainerKind::gzip;
  if (is_zstd(head)) return ContainerKind::zstd;
  return std::all_of(head.begin(), head.end(), is_text_byte) ? ContainerKind::text
                                                             : ContainerKind::binary;
}

std::string_view container_name(ContainerKind kind) {
  switch (kind) {
    case ContainerKind::empty:
      return "an empty file";
    case ContainerKind::zip:
      return "a zip archive";
    case ContainerKind::gzip:
      return "a gzip file";
    case ContainerKind::zstd:
      return "a zstd file";
    case ContainerKind::text:
      return "text";
    case ContainerKind::binary:
      break;
  }
  return "binary data";
}

std::string describe_found(std::span<const uint8_t> head) {
  const ContainerKind kind = sniff_container(head);
  if (kind == ContainerKind::text) {
    const std::string_view text(reinterpret_cast<const char*>(head.data()), head.size());
    return "text " + quote_found(text);
  }
  if (kind != ContainerKind::binary) return std::string(container_name(kind));
  std::string bytes;
  for (size_t i = 0; i < head.size() && i < 4; ++i) bytes += fmt::format(" {:02x}", head[i]);
  return fmt::format("binary data (bytes{})", bytes);
}

std::string found_in_file(const FileReader& file) {
  std::array<uint8_t, kSniffBytes> head{};
  const size_t n = static_cast<size_t>(std::min<uint64_t>(file.size(), head.size()));
  file.read_at(0, head.data(), n);
  return describe_found(std::span<const uint8_t>(head.data(), n));
}

std::string found_after(const FileReader& file, uint64_t at) {
  const uint64_t left = file.size() - std::min(at, file.size());
  std::array<uint8_t, kSniffBytes> head{};
  const size_t n = static_cast<size_t>(std::min<uint64_t>(left, head.size()));
  file.read_at(at, head.data(), n);
  const bool zeros = std::all_of(head.begin(), head.begin() + n, [](uint8_t b) { return b == 0; });
  if (zeros && left == n) return fmt::format("{} zero bytes of padding", left);
  return fmt::format("{} more byte{}: {}", left, left == 1 ? "" : "s",
                     describe_found(std::span<const uint8_t>(head.data(), n)));
}

}  // namespace snapdelta
