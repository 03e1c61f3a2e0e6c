// Container sniffing: what a file is, told from its first bytes, so that a drop whose bytes are
// not its declared container fails saying what it found ("expected a gzip file, found a zip
// archive").
// Contract: sniff_container() looks at most at the first kSniffBytes bytes: a zip local header or
// end-of-central-directory record ("PK\x03\x04", "PK\x05\x06", "PK\x07\x08"), the gzip magic
// 1f 8b, a zstd frame (28 b5 2f fd) or skippable frame (5X 2a 4d 18), else text (no control bytes
// but tab, CR, LF, FF, VT, ESC) or binary. found_in_file() names what a file holds in words for
// an error message: "a zip archive", "a gzip file", "a zstd file", "an empty file",
// `text "transaction_id,..."` or "binary data (bytes 00 01 02 03)"; found_after() names what
// follows the end of a container's data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace snapdelta {

class FileReader;

enum class ContainerKind { empty, zip, gzip, zstd, text, binary };

inline constexpr size_t kSniffBytes = 512;

ContainerKind sniff_container(std::span<const uint8_t> head);

// "a zip archive", "a gzip file", "a zstd file", "an empty file", "text", "binary data".
std::string_view container_name(ContainerKind kind);

// The container's name, with a glimpse of the bytes for text and binary data.
std::string describe_found(std::span<const uint8_t> head);

// describe_found() of the file's first kSniffBytes bytes.
std::string found_in_file(const FileReader& file);

// What the file holds from byte `at` to its end, for "trailing bytes" errors: "512 zero bytes of
// padding", or "12 more bytes: " and describe_found() of them.
std::string found_after(const FileReader& file, uint64_t at);

}  // namespace snapdelta
