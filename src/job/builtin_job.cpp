#include "job/builtin_job.h"

namespace snapdelta {
namespace {

Column column(const char* name, ColumnType type) { return {name, name, 0, std::move(type)}; }

Job make_builtin_job() {
  Job job;
  job.source = {"{client}/transactions_day_{day}.zip", Container::zip, ""};
  job.csv = {',', '"', true, {}};
  job.columns = {
      column("transaction_date", {ColumnKind::date, kDefaultDateFormat, 0}),
      column("sku_id", {ColumnKind::string, "", 0}),
      column("quantity_sold", {ColumnKind::int64, "", 0}),
      column("revenue_usd", {ColumnKind::decimal, "", 2}),
  };
  job.tables = {{"processed_sales",
                 {0, 1},
                 {{"total_quantity", MeasureKind::sum, 2},
                  {"total_revenue", MeasureKind::sum, 3},
                  {"order_count", MeasureKind::count_rows, kNoColumn}}}};
  return job;
}

}  // namespace

const Job& builtin_job() {
  static const Job job = make_builtin_job();
  return job;
}

}  // namespace snapdelta
