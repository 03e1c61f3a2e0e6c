// The built-in job: today's drops and today's table, used when no job file is given or found.
// Contract: equal to parse_job() of this text (the seed's job written out):
//   [source] pattern = "{client}/transactions_day_{day}.zip"
//   [csv] delimiter = ",", quote = '"', header = true, null = []
//   [columns] transaction_date = "date", sku_id = "string", quantity_sold = "int",
//             revenue_usd = "decimal(2)"
//   [[table]] name = "processed_sales", group_by = ["transaction_date", "sku_id"]
//   [table.measures] total_quantity = "sum(quantity_sold)", total_revenue = "sum(revenue_usd)",
//                    order_count = "count()"
#pragma once

#include <string_view>

#include "job/job.h"

namespace snapdelta {

const Job& builtin_job();

// The header line of the seed's drops (what states kept before headers were stored had).
inline constexpr std::string_view kBuiltinHeader =
    "transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd";

}  // namespace snapdelta
