#include "aggregate/job_groups.h"

namespace snapdelta {

JobGroups::JobGroups(const Job& job) : job_(&job) {
  dictionaries_.resize(job.columns.size());
  for (size_t c = 0; c < job.columns.size(); ++c) {
    if (job.columns[c].type.kind == ColumnKind::string) {
      dictionaries_[c] = std::make_unique<SkuDictionary>();
    }
  }
  for (const Table& table : job.tables) {
    tables_.push_back(std::make_unique<TableGroups>(job, table, dictionaries_));
  }
  if (tables_.size() == 1) single_ = tables_[0].get();
}

JobGroups::~JobGroups() = default;
JobGroups::JobGroups(JobGroups&&) noexcept = default;
JobGroups& JobGroups::operator=(JobGroups&&) noexcept = default;

bool JobGroups::overflowed(const TableGroups& table) {
  // Tables before this one took the row already; a failed add_row() ends the parse with an
  // error, so the groups are thrown away, never stored.
  overflow_ = table.describe_overflow();
  return false;
}

size_t JobGroups::groups() const {
  size_t n = 0;
  for (const auto& table : tables_) n += table->size();
  return n;
}

std::vector<TableRow> JobGroups::rows(size_t t) const {
  const TableGroups& table = *tables_[t];
  std::vector<TableRow> out;
  out.reserve(table.size());
  for (uint32_t g : table.sorted()) out.push_back(table.row(g));
  return out;
}

}  // namespace snapdelta
