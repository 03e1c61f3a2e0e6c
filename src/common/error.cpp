#include "common/error.h"

#include <fmt/format.h>

namespace snapdelta {

std::string place(std::string_view path, uint64_t line, uint64_t column) {
  if (line == 0) return std::string(path);
  if (column == 0) return fmt::format("{}:{}", path, line);
  return fmt::format("{}:{}:{}", path, line, column);
}

void fail(std::string_view path, std::string_view message) {
  throw Error(fmt::format("{}: {}", path, message));
}

void fail_at(std::string_view path, uint64_t line, uint64_t column, std::string_view message) {
  throw Error(fmt::format("{}: {}", place(path, line, column), message));
}

namespace {

std::string quoted_prefix(std::string_view found, size_t limit) {
  std::string out = "\"";
  size_t n = 0;
  for (unsigned char c : found) {
    if (++n > limit) {
      out += "...";
      break;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

}  // namespace

std::string quote_found(std::string_view found) { return quoted_prefix(found, 40); }

std::string quote_whole(std::string_view text) { return quoted_prefix(text, text.size()); }

}  // namespace snapdelta
