// The independent recomputation (test_support's reference_of_zip) in the child harness's Row form.
// Contract: reference_rows_of_zip(zip) reads the drop with minizip and aggregates it with the
// hand-written reference (no snapdelta parsing, aggregation or store code), ordered by (date, sku)
// like Db::rows(), so tests that drive the binary compare what it stored with an oracle that does
// not share its code. Throws what reference_of_zip throws on a drop it cannot read.
#pragma once

#include <string>
#include <vector>

#include "child_harness.h"
#include "test_support.h"

namespace snapdelta::test {

inline std::vector<harness::Row> reference_rows_of_zip(const std::string& zip) {
  std::vector<harness::Row> rows;
  for (const RefRow& r : reference_of_zip(zip))
    rows.push_back(harness::Row{r.date, r.sku, r.quantity, r.cents, r.count});
  return rows;
}

}  // namespace snapdelta::test
