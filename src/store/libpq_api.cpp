#include "store/libpq_api.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <mutex>
#include <string>
#include <type_traits>

#include "common/error.h"

namespace snapdelta {
namespace {

// Fills `api` from the library; returns an empty string or what went wrong.
std::string load(LibpqApi& api) {
  void* lib = ::dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) return ::dlerror();
  std::string missing;
  auto bind = [&](auto& fn, const char* name) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(::dlsym(lib, name));
    if (fn == nullptr && missing.empty()) missing = std::string("no function ") + name;
  };
  bind(api.connectdbParams, "PQconnectdbParams");
  bind(api.status, "PQstatus");
  bind(api.errorMessage, "PQerrorMessage");
  bind(api.finish, "PQfinish");
  bind(api.host, "PQhost");
  bind(api.db, "PQdb");
  bind(api.setNoticeProcessor, "PQsetNoticeProcessor");
  bind(api.exec, "PQexec");
  bind(api.execParams, "PQexecParams");
  bind(api.resultStatus, "PQresultStatus");
  bind(api.resultErrorMessage, "PQresultErrorMessage");
  bind(api.resultErrorField, "PQresultErrorField");
  bind(api.clear, "PQclear");
  bind(api.ntuples, "PQntuples");
  bind(api.nfields, "PQnfields");
  bind(api.getvalue, "PQgetvalue");
  bind(api.getlength, "PQgetlength");
  bind(api.getisnull, "PQgetisnull");
  bind(api.putCopyData, "PQputCopyData");
  bind(api.putCopyEnd, "PQputCopyEnd");
  bind(api.getResult, "PQgetResult");
  bind(api.cmdStatus, "PQcmdStatus");
  bind(api.transactionStatus, "PQtransactionStatus");
  return missing;  // the library stays loaded for the life of the process
}

}  // namespace

const LibpqApi& libpq(std::string_view store) {
  static LibpqApi api{};
  static std::string problem;
  static std::once_flag once;
  std::call_once(once, [] { problem = load(api); });
  if (!problem.empty()) {
    fail(store,
         fmt::format("expected the PostgreSQL client library libpq.so.5, found {}", problem));
  }
  return api;
}

}  // namespace snapdelta
