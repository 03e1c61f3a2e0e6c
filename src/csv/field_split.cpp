#include "csv/field_split.h"

#include <fmt/format.h>

#include <cstring>
#include <string_view>

#include "common/error.h"

namespace snapdelta {
namespace {

// Reads the quoted field opening at `open` into `value`; returns the byte after its closing quote,
// or nullptr when it has none.
const char* read_quoted(const char* open, const char* e, char quote, std::string& value) {
  const char* p = open + 1;
  for (;;) {
    const auto* q = static_cast<const char*>(std::memchr(p, quote, static_cast<size_t>(e - p)));
    if (q == nullptr) return nullptr;
    value.append(p, q);
    if (q + 1 < e && q[1] == quote) {
      value.push_back(quote);
      p = q + 2;
      continue;
    }
    return q + 1;
  }
}

}  // namespace

std::string split_fields(const char* b, const char* e, char delimiter, char quote,
                         std::vector<SplitField>& fields, size_t* error_column) {
  fields.clear();
  const char* p = b;
  auto fail = [&](const char* at, std::string message) {
    *error_column = static_cast<size_t>(at - b) + 1;
    return message;
  };
  for (;;) {
    SplitField f{{}, static_cast<size_t>(p - b) + 1};
    if (p < e && *p == quote) {
      const char* open = p;
      p = read_quoted(open, e, quote, f.value);
      if (p == nullptr) {
        return fail(open, fmt::format("expected a closing '{}', found an unterminated quoted field",
                                      quote));
      }
      if (p < e && *p != delimiter) {
        return fail(p, fmt::format("expected '{}' after a closing quote, found {}", delimiter,
                                   quote_found(std::string_view(p, 1))));
      }
    } else {
      const auto* c =
          static_cast<const char*>(std::memchr(p, delimiter, static_cast<size_t>(e - p)));
      const char* fe = c ? c : e;
      if (const void* q = std::memchr(p, quote, static_cast<size_t>(fe - p))) {
        return fail(static_cast<const char*>(q),
                    "expected a quote only at the start of a field, found one inside");
      }
      f.value.assign(p, fe);
      p = fe;
    }
    fields.push_back(std::move(f));
    if (p < e && *p == delimiter) {
      ++p;
      continue;
    }
    return "";
  }
}

}  // namespace snapdelta
