#include "store/sqlite_job_rows.h"

#include <algorithm>
#include <array>
#include <bit>

#include "common/date.h"
#include "common/error.h"
#include "store/sqlite_job_schema.h"

namespace snapdelta {
namespace {

using DateText = std::array<char, 10>;

// Binds one group's cells from parameter `first` on; dates are formatted into `dates`, which
// must outlive the statement's step.
class GroupBinder {
 public:
  GroupBinder(const TableLayout& layout, const JobGroups& groups, size_t t)
      : layout_(layout),
        groups_(groups),
        table_(groups.table(t)),
        measures_(groups.job().tables[t].measures) {}

  void bind(Statement& s, int first, uint32_t g, DateText* dates) const {
    int p = first;
    for (size_t k = 0; k < layout_.keys.size(); ++k, ++p) {
      if (table_.key_null(g, k)) {
        s.bind_null(p);
      } else if (layout_.keys[k].kind == StoredKind::text) {
        s.bind(p, table_.key_text(g, k));
      } else {
        bind_number(s, p, layout_.keys[k], table_.key_number(g, k), dates++);
      }
    }
    for (size_t m = 0; m < layout_.measures.size(); ++m, ++p) {
      const StoredColumn& c = layout_.measures[m];
      if (table_.measure_null(g, m)) {
        s.bind_null(p);
      } else if (c.kind == StoredKind::text) {
        const auto id = static_cast<uint32_t>(table_.measure(g, m));
        s.bind(p, groups_.text(measures_[m].column, id));
      } else {
        bind_number(s, p, c, table_.measure(g, m), dates++);
      }
    }
  }
  size_t cells() const { return layout_.keys.size() + layout_.measures.size(); }

 private:
  static void bind_number(Statement& s, int p, const StoredColumn& c, int64_t v, DateText* date) {
    if (c.kind != StoredKind::date) {
      s.bind(p, v);
      return;
    }
    format_date_to(static_cast<int32_t>(v), date->data());
    s.bind(p, std::string_view(date->data(), date->size()));
  }
  const TableLayout& layout_;
  const JobGroups& groups_;
  const TableGroups& table_;
  const std::vector<Measure>& measures_;
};

bool has_null_key(const TableGroups& table, uint32_t g, size_t keys) {
  for (size_t k = 0; k < keys; ++k) {
    if (table.key_null(g, k)) return true;
  }
  return false;
}

// A merged group with a null key: UPDATE found by IS, or INSERT when none was there.
bool merge_alone(SqliteDb& db, const TableLayout& layout, const GroupBinder& binder,
                 const std::string& client, uint32_t g) {
  std::vector<DateText> dates(binder.cells());
  const std::string update = sqlite_update_sql(layout);
  Statement u(db, update.c_str());
  u.bind(1, client);
  binder.bind(u, 2, g, dates.data());
  u.step();
  if (sqlite3_changes(db.handle()) > 0) return false;
  const std::string insert = sqlite_insert_head(layout) + " VALUES " + sqlite_row_values(layout);
  Statement i(db, insert.c_str());
  i.bind(1, client);
  binder.bind(i, 2, g, dates.data());
  i.step();
  return true;
}

}  // namespace

uint64_t sqlite_write_groups(SqliteDb& db, const TableLayout& layout, const JobGroups& groups,
                             size_t t, const std::string& client, RowMerge mode,
                             const uint64_t& merged_rows) {
  const GroupBinder binder(layout, groups, t);
  const TableGroups& table = groups.table(t);
  const int width = static_cast<int>(binder.cells()) + 1;
  const size_t batch = std::bit_floor(std::min<size_t>(64, 32000 / static_cast<size_t>(width)));
  std::vector<uint32_t> order = table.sorted(), alone;
  if (mode == RowMerge::merge && layout.nullable_keys) {
    const auto split = std::stable_partition(order.begin(), order.end(), [&](uint32_t g) {
      return !has_null_key(table, g, layout.keys.size());
    });
    alone.assign(split, order.end());
    order.erase(split, order.end());
  }
  const std::string head = sqlite_insert_head(layout), row = sqlite_row_values(layout);
  const std::string tail = mode == RowMerge::merge ? sqlite_upsert_tail(layout) : "";
  std::vector<DateText> dates(batch * binder.cells());
  const uint64_t merged_before = merged_rows;
  for (size_t begin = 0; begin < order.size();) {
    const size_t n = std::bit_floor(std::min(batch, order.size() - begin));
    std::string sql = head + " VALUES ";
    for (size_t i = 0; i < n; ++i) sql += (i ? "," : "") + row;
    sql += tail;
    Statement ins(db, sql.c_str());
    for (size_t i = 0; i < n; ++i) {
      const int first = static_cast<int>(i) * width + 1;
      ins.bind(first, client);
      binder.bind(ins, first + 1, order[begin + i], dates.data() + i * binder.cells());
    }
    ins.step();
    begin += n;
  }
  uint64_t added = order.size() - (merged_rows - merged_before);
  for (uint32_t g : alone) added += merge_alone(db, layout, binder, client, g) ? 1 : 0;
  return added;
}

namespace {

Cell cell_of(const Statement& s, int col, const StoredColumn& c, const std::string& where) {
  Cell cell;
  if (s.is_null(col)) {
    cell.null = true;
  } else if (c.kind == StoredKind::integer) {
    cell.number = s.int64(col);
  } else if (c.kind == StoredKind::text) {
    cell.text = s.text(col);
  } else {
    int32_t days = 0;
    const std::string text = s.text(col);
    if (!parse_date(text, &days)) {
      fail(where, "expected a date YYYY-MM-DD in column " + c.name + ", found " + text);
    }
    cell.number = days;
  }
  return cell;
}

}  // namespace

std::vector<TableRow> sqlite_table_rows(SqliteDb& db, const TableLayout& layout,
                                        const std::string& client) {
  const std::string sql = sqlite_select_sql(layout);
  Statement s(db, sql.c_str());
  s.bind(1, client);
  std::vector<TableRow> rows;
  const size_t keys = layout.keys.size();
  while (s.step()) {
    TableRow row;
    row.reserve(keys + layout.measures.size());
    for (size_t k = 0; k < keys; ++k) {
      row.push_back(cell_of(s, static_cast<int>(k), layout.keys[k], db.path()));
    }
    for (size_t m = 0; m < layout.measures.size(); ++m) {
      row.push_back(cell_of(s, static_cast<int>(keys + m), layout.measures[m], db.path()));
    }
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(),
            [keys](const TableRow& a, const TableRow& b) { return key_less(a, b, keys); });
  return rows;
}

}  // namespace snapdelta
