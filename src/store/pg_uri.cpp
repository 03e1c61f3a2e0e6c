#include "store/pg_uri.h"

namespace snapdelta {
namespace {

// Where the authority (userinfo@hosts) begins and ends: after "://", up to the first '/' or '?'.
struct Authority {
  size_t begin = 0;
  size_t end = 0;
};

Authority authority_of(std::string_view uri) {
  const size_t scheme = uri.find("://");
  Authority a;
  a.begin = scheme == std::string_view::npos ? 0 : scheme + 3;
  a.end = uri.find_first_of("/?", a.begin);
  if (a.end == std::string_view::npos) a.end = uri.size();
  return a;
}

// Replaces the value of every "password=" parameter after `from` with ***.
std::string redact_parameters(std::string text, size_t from) {
  for (size_t at = text.find('?', from); at != std::string::npos;) {
    const size_t key = at + 1;
    const size_t next = text.find('&', key);
    const size_t end = next == std::string::npos ? text.size() : next;
    const std::string_view param(text.data() + key, end - key);
    if (param.substr(0, 9) == "password=") {
      text.replace(key + 9, end - key - 9, "***");
      at = text.find('&', key + 9);
    } else {
      at = next;
    }
  }
  return text;
}

}  // namespace

bool is_postgres_uri(std::string_view text) {
  return text.substr(0, 13) == "postgresql://" || text.substr(0, 11) == "postgres://";
}

std::string redact_uri(std::string_view uri) {
  const Authority a = authority_of(uri);
  std::string out(uri);
  const size_t at = uri.substr(0, a.end).rfind('@');
  if (at != std::string_view::npos && at >= a.begin) {
    const size_t colon = uri.substr(0, at).find(':', a.begin);
    if (colon != std::string_view::npos) out.replace(colon + 1, at - colon - 1, "***");
  }
  return redact_parameters(std::move(out), authority_of(out).end);
}

std::string uri_with_database(std::string_view uri, std::string_view database) {
  const Authority a = authority_of(uri);
  const size_t query = uri.find('?', a.end);
  std::string out(uri.substr(0, a.end));
  out += '/';
  out += database;
  if (query != std::string_view::npos) out += uri.substr(query);
  return out;
}

}  // namespace snapdelta
