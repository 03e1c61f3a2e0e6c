// PostgreSQL connection URIs (postgresql://user:password@host:port/dbname?key=value...), as text.
// Contract: is_postgres_uri() is true for the postgresql:// and postgres:// schemes only.
// redact_uri() returns the URI with any password replaced by "***" (the one in user:password@ and
// a password= parameter), and leaves everything else as it was; whatever prints a URI prints it
// through this. uri_with_database() returns the URI naming another database, keeping user, hosts
// and parameters (tests use it to reach a database of their own on the same server).
#pragma once

#include <string>
#include <string_view>

namespace snapdelta {

bool is_postgres_uri(std::string_view text);
std::string redact_uri(std::string_view uri);
std::string uri_with_database(std::string_view uri, std::string_view database);

}  // namespace snapdelta
