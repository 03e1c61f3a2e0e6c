// JobGroups: the groups of every table of a job, computed from parsed rows. The one aggregate the
// parser fills and the stores, verify and the benchmark read.
// Contract (writing, the parser's side): a row is an array of one int64 value and one null flag
// per job column (Job::columns order): a date is its day number (days since 1970-01-01), an int
// its value, a decimal its integer count of 10^-scale units, a string its id from intern(column,
// text) (the same id for the same bytes within this JobGroups, per column). add_row() adds the
// row to every table: the group of its key values (null keys group together) gets count() + 1,
// count(col) + 1 when col is not null, sum/min/max of non-null values. Sums are exact in int64:
// when one would overflow, add_row() returns false and overflow() says where (`table t, group
// (k1, k2), measure m`); that table is unchanged but tables before it took the row, so groups
// after a false are only for discarding (the parse that fed them fails).
// Contract (reading): table(t).sorted() lists the group ids in key order (table_cells.h's
// key_less); key_*() and measure*() read one group; rows(t) is the same as TableRows, owned.
// Sum, min and max of a group without a non-null value are null; count() and count(col) never are.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aggregate/sku_dictionary.h"
#include "aggregate/table_cells.h"
#include "aggregate/table_groups.h"
#include "job/job.h"

namespace snapdelta {

class JobGroups {
 public:
  JobGroups() = default;  // no job, no tables: the groups of a scan that parsed nothing
  explicit JobGroups(const Job& job);  // `job` must outlive this
  ~JobGroups();
  JobGroups(JobGroups&&) noexcept;
  JobGroups& operator=(JobGroups&&) noexcept;

  const Job& job() const { return *job_; }

  uint32_t intern(size_t column, std::string_view text) { return dictionary(column).intern(text); }
  // The dictionary of string column `column` (for intern_padded() on the parser's hot path).
  SkuDictionary& dictionary(size_t column) { return *dictionaries_[column]; }
  [[gnu::always_inline]] bool add_row(const int64_t* values, const uint8_t* nulls) {
    if (single_ != nullptr) [[likely]] {
      return single_->add(values, nulls) || overflowed(*single_);
    }
    for (auto& table : tables_) {
      if (!table->add(values, nulls)) [[unlikely]]
        return overflowed(*table);
    }
    return true;
  }
  const std::string& overflow() const { return overflow_; }

  size_t table_count() const { return tables_.size(); }
  const TableGroups& table(size_t t) const { return *tables_[t]; }
  size_t groups() const;  // over every table
  std::vector<TableRow> rows(size_t t) const;
  // The text of string column `column`'s id.
  const std::string& text(size_t column, uint32_t id) const {
    return dictionaries_[column]->name(id);
  }

 private:
  const Job* job_ = nullptr;
  TableGroups* single_ = nullptr;  // the table of a job with one, read without the vector
  std::vector<std::unique_ptr<TableGroups>> tables_;
  bool overflowed(const TableGroups& table);
  std::vector<std::unique_ptr<SkuDictionary>> dictionaries_;  // per column; null if not a string
  std::string overflow_;
};

}  // namespace snapdelta
