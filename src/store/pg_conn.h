// PgConn and PgResult: one libpq connection and one query result, owned (RAII), over LibpqApi.
// Contract: PgConn connects in its constructor to a postgresql:// URI (libpq also reads the PG*
// environment variables) with TCP keepalives, application_name=snapdelta, client_encoding UTF8,
// idle_in_transaction_session_timeout 60 s (a stalled worker's transaction is aborted and its
// locks freed) and lock_timeout = the busy timeout; settings in the URI win. A failure to connect
// throws one line naming the redacted URI, the host and the database, never the password.
// Every statement failure throws snapdelta::Error "<redacted uri>: <what> (<server message>)"
// and sets sqlstate() to the server's SQLSTATE. Values travel only as bound parameters
// (PgParams), text or binary; server notices are not printed.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/libpq_api.h"

namespace snapdelta {

class PgResult {
 public:
  PgResult(const LibpqApi& api, PGresult* r) : api_(&api), r_(r) {}
  ~PgResult() {
    if (r_ != nullptr) api_->clear(r_);
  }
  PgResult(PgResult&& o) noexcept : api_(o.api_), r_(o.r_) { o.r_ = nullptr; }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  PgResult& operator=(PgResult&&) = delete;

  int rows() const { return api_->ntuples(r_); }
  bool is_null(int row, int col) const { return api_->getisnull(r_, row, col) != 0; }
  std::string_view text(int row, int col) const {
    return {api_->getvalue(r_, row, col), static_cast<size_t>(api_->getlength(r_, row, col))};
  }
  int64_t int64(int row, int col) const;
  bool boolean(int row, int col) const { return text(row, col) == "t"; }
  std::string bytea(int row, int col) const;  // decodes the text form "\x0a1b..."

 private:
  const LibpqApi* api_;
  PGresult* r_;
};

// Bound parameters: each is kept as given (text or binary) until the statement has run.
class PgParams {
 public:
  PgParams& text(std::string_view v);
  PgParams& int64(int64_t v) { return text(std::to_string(v)); }
  PgParams& binary(std::string_view v);
  size_t size() const { return values_.size(); }

 private:
  friend class PgConn;
  std::vector<std::string> values_;
  std::vector<int> formats_;
};

struct PgConnectOptions {
  int lock_timeout_ms = 60000;
};

class PgConn {
 public:
  PgConn(const std::string& uri, const PgConnectOptions& options);
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  const std::string& describe() const { return describe_; }
  // One or more statements without parameters (simple protocol: one round trip for all).
  PgResult exec(const char* sql, std::string_view what);
  PgResult query(const char* sql, const PgParams& params, std::string_view what);
  // Runs `copy_sql` (COPY ... FROM STDIN) and sends `data` as its whole input.
  void copy_in(const char* copy_sql, std::string_view data, std::string_view what);
  // The SQLSTATE of the last failed statement ("" if it succeeded).
  const std::string& sqlstate() const { return sqlstate_; }
  bool in_failed_transaction() const;
  const LibpqApi& api() const { return api_; }

 private:
  PgResult checked(PGresult* r, std::string_view what);
  [[noreturn]] void raise(std::string_view what, const char* server_message);
  std::string describe_;
  const LibpqApi& api_;
  PGconn* conn_ = nullptr;
  std::string sqlstate_;
};

}  // namespace snapdelta
