// LibpqApi: the libpq functions the PostgreSQL store uses, loaded on first use with dlopen.
// Contract: libpq() loads libpq.so.5 once per process (thread-safe) and returns the table; every
// pointer in it is set. When the library or one of its functions cannot be found it throws
// snapdelta::Error "<store>: expected the PostgreSQL client library libpq.so.5, found <why>".
// Why not link it: libpq pulls in libssl, libcrypto, GSSAPI and LDAP, whose loading and
// relocation would add start-up time to every SQLite run, which is a short process.
#pragma once

#include <libpq-fe.h>

#include <string_view>

namespace snapdelta {

struct LibpqApi {
  decltype(&::PQconnectdbParams) connectdbParams;
  decltype(&::PQstatus) status;
  decltype(&::PQerrorMessage) errorMessage;
  decltype(&::PQfinish) finish;
  decltype(&::PQhost) host;
  decltype(&::PQdb) db;
  decltype(&::PQsetNoticeProcessor) setNoticeProcessor;
  decltype(&::PQexec) exec;
  decltype(&::PQexecParams) execParams;
  decltype(&::PQresultStatus) resultStatus;
  decltype(&::PQresultErrorMessage) resultErrorMessage;
  decltype(&::PQresultErrorField) resultErrorField;
  decltype(&::PQclear) clear;
  decltype(&::PQntuples) ntuples;
  decltype(&::PQnfields) nfields;
  decltype(&::PQgetvalue) getvalue;
  decltype(&::PQgetlength) getlength;
  decltype(&::PQgetisnull) getisnull;
  decltype(&::PQputCopyData) putCopyData;
  decltype(&::PQputCopyEnd) putCopyEnd;
  decltype(&::PQgetResult) getResult;
  decltype(&::PQcmdStatus) cmdStatus;
  decltype(&::PQtransactionStatus) transactionStatus;
};

// `store` names the store in the error when libpq is missing.
const LibpqApi& libpq(std::string_view store);

}  // namespace snapdelta
