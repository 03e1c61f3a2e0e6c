#include "store/pg_conn.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "common/error.h"
#include "store/pg_uri.h"

namespace snapdelta {
namespace {

// libpq's messages span lines ("...failed: ...\n\tIs the server running..."): one line.
std::string one_line(const char* message) {
  std::string out;
  bool gap = false;
  for (const char* p = message != nullptr ? message : ""; *p != '\0'; ++p) {
    if (*p == '\n' || *p == '\r' || *p == '\t') {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += out.back() == ' ' ? "" : " ";
    gap = false;
    out += *p;
  }
  return out;
}

void ignore_notice(void*, const char*) {}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

int64_t PgResult::int64(int row, int col) const {
  return std::strtoll(api_->getvalue(r_, row, col), nullptr, 10);
}

std::string PgResult::bytea(int row, int col) const {
  const std::string_view hex = text(row, col);
  if (hex.size() < 2 || hex[0] != '\\' || hex[1] != 'x') return {};
  std::string out((hex.size() - 2) / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_value(hex[2 + 2 * i]);
    const int lo = hex_value(hex[3 + 2 * i]);
    if (hi < 0 || lo < 0) return {};
    out[i] = static_cast<char>(hi << 4 | lo);
  }
  return out;
}

PgParams& PgParams::text(std::string_view v) {
  values_.emplace_back(v);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::binary(std::string_view v) {
  values_.emplace_back(v);
  formats_.push_back(1);
  return *this;
}

PgConn::PgConn(const std::string& uri, const PgConnectOptions& o)
    : describe_(redact_uri(uri)), api_(libpq(describe_)) {
  // Defaults first, the URI last: libpq keeps the last value of a repeated keyword, so whatever
  // the URI sets wins.
  const std::string options = fmt::format(
      "-c idle_in_transaction_session_timeout=60s -c lock_timeout={}", o.lock_timeout_ms);
  const char* keys[] = {
      "application_name", "client_encoding", "keepalives", "keepalives_idle", "keepalives_interval",
      "keepalives_count", "connect_timeout", "options",    "dbname",          nullptr};
  const char* values[] = {"snapdelta", "UTF8",          "1",         "30",   "10", "3",
                          "10",        options.c_str(), uri.c_str(), nullptr};
  conn_ = api_.connectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn_ == nullptr) fail(describe_, "expected a connection, found no memory for one");
  if (api_.status(conn_) != CONNECTION_OK) {
    auto text = [](const char* s) { return std::string(s != nullptr && *s ? s : "(default)"); };
    const std::string host = text(api_.host(conn_));
    const std::string db = text(api_.db(conn_));
    const std::string why = one_line(api_.errorMessage(conn_));
    api_.finish(conn_);
    conn_ = nullptr;
    fail(describe_, fmt::format("expected a PostgreSQL server at host {}, database {}, found: {}",
                                host, db, why));
  }
  api_.setNoticeProcessor(conn_, ignore_notice, nullptr);
}

PgConn::~PgConn() {
  if (conn_ != nullptr) api_.finish(conn_);  // an open transaction is rolled back by the server
}

void PgConn::raise(std::string_view what, const char* server_message) {
  throw Error(fmt::format("{}: {} ({})", describe_, what, one_line(server_message)));
}

PgResult PgConn::checked(PGresult* r, std::string_view what) {
  PgResult result(api_, r);
  const ExecStatusType s = r == nullptr ? PGRES_FATAL_ERROR : api_.resultStatus(r);
  if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_COPY_IN) {
    sqlstate_.clear();
    return result;
  }
  const char* state = r != nullptr ? api_.resultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  sqlstate_ = state != nullptr ? state : "";
  const char* primary = r != nullptr ? api_.resultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  raise(what, primary != nullptr ? primary : api_.errorMessage(conn_));
}

PgResult PgConn::exec(const char* sql, std::string_view what) {
  return checked(api_.exec(conn_, sql), what);
}

PgResult PgConn::query(const char* sql, const PgParams& p, std::string_view what) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  for (const auto& v : p.values_) {
    values.push_back(v.c_str());
    lengths.push_back(static_cast<int>(v.size()));
  }
  return checked(api_.execParams(conn_, sql, static_cast<int>(p.size()), nullptr, values.data(),
                                 lengths.data(), p.formats_.data(), /*resultFormat=*/0),
                 what);
}

void PgConn::copy_in(const char* copy_sql, std::string_view data, std::string_view what) {
  checked(api_.exec(conn_, copy_sql), what);
  constexpr size_t kPiece = 1 << 20;
  bool sent = true;
  for (size_t at = 0; sent && at < data.size(); at += kPiece) {
    const size_t n = std::min(kPiece, data.size() - at);
    sent = api_.putCopyData(conn_, data.data() + at, static_cast<int>(n)) == 1;
  }
  if (api_.putCopyEnd(conn_, sent ? nullptr : "client could not send the data") != 1) {
    raise(what, api_.errorMessage(conn_));
  }
  // The COPY's own result: keep the first failure, drain the rest.
  PGresult* bad = nullptr;
  while (PGresult* r = api_.getResult(conn_)) {
    if (bad == nullptr && api_.resultStatus(r) != PGRES_COMMAND_OK) {
      bad = r;
    } else {
      api_.clear(r);
    }
  }
  if (bad != nullptr) checked(bad, what);  // throws
}

bool PgConn::in_failed_transaction() const {
  return api_.transactionStatus(conn_) == PQTRANS_INERROR;
}

}  // namespace snapdelta
