// verify_client: recompute a client from the file its state points at and compare with the table.
// Contract: `identical` is true only if every (date, sku) row matches exactly (quantity, cents,
// count) and no row is missing or extra; `differences` lists the first few mismatches as text.
// A client with no state is an Error.
#pragma once

#include <string>
#include <vector>

namespace snapdelta {

struct VerifyResult {
  bool identical = false;
  std::string file;
  size_t groups = 0;
  std::vector<std::string> differences;
};

VerifyResult verify_client(const std::string& client, const std::string& data_dir,
                           const std::string& db_path, size_t max_differences = 10);

}  // namespace snapdelta
